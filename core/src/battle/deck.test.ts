import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CardDef } from "./cards.ts";
import { validateDeck } from "./deck.ts";
import { spell, unit, vanillaDeck } from "./testing/fixtures.ts";

const withCard = (card: CardDef) => validateDeck([...vanillaDeck("d", 19), card]);

describe("validateDeck", () => {
  it("accepts 20 to 30 valid cards with at most 3 copies of a key", () => {
    assert.deepEqual(validateDeck(vanillaDeck("d", 20)), { ok: true });
    assert.deepEqual(validateDeck(vanillaDeck("d", 30)), { ok: true });
    assert.deepEqual(withCard(spell("s", [{ kind: "damage", amount: 2 }, { kind: "draw", amount: 1 }])), { ok: true });
  });

  it("refuses cards outside the rules with INVALID_DECK and says which", () => {
    const cases: Record<string, CardDef> = {
      "cost above 10": unit("x", { cost: 11 }),
      "a fractional stat": unit("x", { attack: 1.5 }),
      "an empty id": unit(""),
      "an unknown ability": unit("x", { abilities: [{ kind: "fly" } as unknown as CardDef["abilities"][number]] }),
      "a keyword twice": unit("x", { abilities: [{ kind: "taunt" }, { kind: "taunt" }] }),
      "a keyword on a spell": spell("x", [{ kind: "taunt" }]),
      "a spell without effect": spell("x", []),
      "a spell that damages and heals": spell("x", [{ kind: "damage", amount: 1 }, { kind: "heal", amount: 1 }]),
      "an amount of 0": spell("x", [{ kind: "draw", amount: 0 }]),
      "an amount above 10": spell("x", [{ kind: "damage", amount: 11 }]),
      "the reserved id own_hero": unit("own_hero"),
    };
    for (const [name, card] of Object.entries(cases)) {
      const checked = withCard(card);
      assert.equal(checked.ok ? "accepted" : checked.code, "INVALID_DECK", name);
    }
  });
});

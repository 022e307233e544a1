import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { CardDef } from "./cards.ts";
import { cardPower, deckPower } from "./deck-power.ts";
import { spell, unit, vanillaDeck } from "./testing/fixtures.ts";

const unitCard = fc.record({ cost: fc.integer({ min: 0, max: 9 }), attack: fc.integer({ min: 0, max: 11 }), health: fc.integer({ min: 1, max: 11 }) }).map((s) => unit("u", s));
const deckWith = (card: CardDef) => [card, ...vanillaDeck("d", 19)];

describe("deck power", () => {
  it("scores a vanilla card of the usual curve (2c + 1 stat points for cost c) at 1", () => {
    assert.equal(cardPower(unit("u", { cost: 2, attack: 2, health: 3 })), 1);
    assert.equal(deckPower(Array.from({ length: 20 }, () => unit("u", { cost: 3, attack: 3, health: 4 }))), 100);
  });

  it("rises with every point of attack or health and falls with every point of cost", () => {
    fc.assert(
      fc.property(unitCard, fc.constantFrom("attack", "health", "cost"), (card, stat) => {
        const better = { ...card, [stat]: card[stat] + 1 };
        const [before, after] = [deckPower(deckWith(card)), deckPower(deckWith(better))];
        assert.ok(stat === "cost" ? after < before : after > before, `${stat}: ${before} -> ${after}`);
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it("rises with a keyword and with a larger effect", () => {
    const plain = unit("u", { cost: 3, attack: 3, health: 3 });
    for (const kind of ["taunt", "charge", "shield"] as const) {
      assert.ok(cardPower({ ...plain, abilities: [{ kind }] }) > cardPower(plain), kind);
    }
    for (const kind of ["damage", "heal", "draw"] as const) {
      assert.ok(cardPower(spell("s", [{ kind, amount: 3 }])) > cardPower(spell("s", [{ kind, amount: 2 }])), kind);
    }
  });

  it("does not reward deck size: 30 copies score as 20", () => {
    const card = unit("u", { cost: 4, attack: 5, health: 4 });
    assert.equal(deckPower(Array(30).fill(card)), deckPower(Array(20).fill(card)));
    assert.equal(deckPower([]), 0);
  });
});

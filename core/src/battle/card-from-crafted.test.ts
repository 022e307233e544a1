import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { craft } from "../crafting/craft.ts";
import type { Card } from "../crafting/card.ts";
import { battleCardId, cardDefFromCrafted } from "./card-from-crafted.ts";
import { validateDeck } from "./deck.ts";
import { isStarterRecipeKey, starterPack, starterTemplates } from "./starter-cards.ts";

const attributes = { recipeId: 3, quality: 250, craftSeed: "0x01" };
const sunflare: Card = { cardKey: "sunflare", kind: "spell", cost: 2, attack: 0, health: 1, abilities: [{ name: "damage", amount: 4 }], rarity: "rare", attributes };
const sentinel: Card = { cardKey: "sunflower-sentinel", kind: "unit", cost: 2, attack: 2, health: 5, abilities: [{ name: "taunt", amount: 0 }, { name: "shield", amount: 0 }], rarity: "common", attributes };

describe("cardDefFromCrafted", () => {
  it("names the card c<id> and keys it by its recipe", () => {
    const def = cardDefFromCrafted({ id: "12", recipeKey: "sunflower-sentinel", card: sentinel });
    assert.equal(def.id, "c12");
    assert.equal(battleCardId("12"), "c12");
    assert.equal(def.cardKey, "sunflower-sentinel");
  });

  it("keeps a unit's stats and turns keywords of amount 0 into bare keywords", () => {
    assert.deepEqual(cardDefFromCrafted({ id: "1", recipeKey: "sunflower-sentinel", card: sentinel }), {
      id: "c1",
      cardKey: "sunflower-sentinel",
      kind: "unit",
      cost: 2,
      attack: 2,
      health: 5,
      abilities: [{ kind: "taunt" }, { kind: "shield" }],
    });
  });

  it("gives a spell attack 0 and health 0 and keeps its effect's amount", () => {
    const def = cardDefFromCrafted({ id: "7", recipeKey: "sunflare", card: sunflare });
    assert.deepEqual([def.kind, def.attack, def.health, def.abilities], ["spell", 0, 0, [{ kind: "damage", amount: 4 }]]);
  });

  it("maps every card the real crafting rule makes into a card the deck rules accept", () => {
    const crafted = craft({ recipe: "sunflare", inputs: [{ kind: "petal", quality: 3, quantity: 4 }, { kind: "grain", quality: 2, quantity: 4 }], gates: { hasWorkshop: false, heldBaseCards: [] }, seed: "0xabc" });
    assert.ok(crafted.ok);
    const defs = Array.from({ length: 3 }, (_, i) => cardDefFromCrafted({ id: String(100 + i), recipeKey: "sunflare", card: crafted.card }));
    const pack = starterPack("1").slice(0, 17).map((c, i) => cardDefFromCrafted({ id: String(i + 1), recipeKey: c.recipeKey, card: c.card }));
    assert.deepEqual(validateDeck([...pack, ...defs]), { ok: true });
  });

  it("is pure: the input card is untouched", () => {
    const before = structuredClone(sentinel);
    cardDefFromCrafted({ id: "1", recipeKey: "sunflower-sentinel", card: sentinel });
    assert.deepEqual(sentinel, before);
  });
});

describe("starterPack", () => {
  it("holds each template twice, as a valid deck that plays like the templates", () => {
    const pack = starterPack("42");
    assert.equal(pack.length, 20);
    const defs = pack.map((c, i) => cardDefFromCrafted({ id: String(i + 1), recipeKey: c.recipeKey, card: c.card }));
    assert.deepEqual(validateDeck(defs), { ok: true });
    for (const template of starterTemplates) {
      const copies = defs.filter((d) => d.cardKey === `starter-${template.key}`);
      assert.equal(copies.length, 2);
      for (const copy of copies) assert.deepEqual({ ...copy, id: "", cardKey: "" }, { id: "", cardKey: "", kind: template.kind, cost: template.cost, attack: template.attack, health: template.health, abilities: template.abilities });
    }
    assert.ok(pack.every((c) => isStarterRecipeKey(c.recipeKey) && c.recipeId === 0));
  });

  it("is deterministic per player and differs between players", () => {
    assert.deepEqual(starterPack("42"), starterPack("42"));
    assert.notEqual(starterPack("42")[0]!.attributesHash, starterPack("43")[0]!.attributesHash);
    assert.equal(new Set(starterPack("42").map((c) => c.randomSeed)).size, 20);
  });

  it("tells starter recipe keys from crafted ones", () => {
    assert.equal(isStarterRecipeKey("starter-ox"), true);
    assert.equal(isStarterRecipeKey("sunflare"), false);
  });
});

describe("crafted card bounds", () => {
  it("lie within what the battle engine accepts, so every crafted card can go in a deck", async () => {
    const { cardBounds } = await import("../crafting/card.ts");
    const { battleRules } = await import("./rules.ts");
    assert.ok(cardBounds.cost.max <= battleRules.maxCost);
    assert.ok(cardBounds.attack.max <= battleRules.maxAttack);
    assert.ok(cardBounds.health.max <= battleRules.maxUnitHealth);
    for (const amount of Object.values(cardBounds.amount)) assert.ok(amount.max <= battleRules.maxAbilityAmount);
  });
});

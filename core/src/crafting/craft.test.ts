import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { propertyRuns, seedArb } from "../farming/testing/arbitraries.ts";
import { cardBounds, keywordAbilities } from "./card.ts";
import { attributesHash } from "./card-hash.ts";
import { averageQuality, craft, type CraftResult } from "./craft.ts";
import { countOf, mergeStacks, takeItems } from "./inventory.ts";
import { recipes, type ItemStack, type Recipe, type RecipeKey } from "./recipes.ts";
import { selectInputs } from "./select-inputs.ts";
import { allGates, noGates, stack, stacksArb } from "./testing/fixtures.ts";

const recipeKeys = Object.keys(recipes) as RecipeKey[];
const petals = (quality: number) => [stack("petal", 6, quality)];

function ok(result: CraftResult) {
  if (!result.ok) throw new Error(`craft failed: ${result.code}`);
  return result;
}

/** Stacks that satisfy every need of `recipe` at exactly its minimum quality. */
function exactInputs(recipe: Recipe): ItemStack[] {
  const stacks: ItemStack[] = recipe.inputs.map((i) => stack(i.kind, i.quantity, i.minQuality));
  if (recipe.catalyst !== null) stacks.push(stack(recipe.catalyst.kind, recipe.catalyst.quantity, 1));
  return stacks;
}

describe("craft", () => {
  it("makes a card from a recipe and the produce, spending exactly what the recipe needs", () => {
    const result = ok(craft({ recipe: "sunflower-sentinel", inputs: [stack("petal", 9, 3)], gates: noGates, seed: "c1" }));
    assert.deepEqual(result.consumed, [stack("petal", 6, 3)]);
    assert.equal(result.card.cardKey, "sunflower-sentinel");
    assert.equal(result.card.kind, "unit");
    assert.equal(result.card.cost, 2);
    assert.deepEqual(result.card.abilities, [{ name: "taunt", amount: 0 }]);
    assert.equal(result.card.attributes.recipeId, 1);
    assert.equal(result.card.attributes.quality, 300);
    assert.equal(result.attributesHash, attributesHash(result.card));
    assert.equal(result.randomSeed, "c1");
  });

  it("replays a recorded craft exactly (if this changes, every minted card's hash changes with it)", () => {
    const result = ok(craft({ recipe: "moonberry-tonic", inputs: [stack("berry", 5, 4)], gates: noGates, seed: "golden-craft" }));
    assert.deepEqual(result.card, GOLDEN_CARD);
    assert.equal(result.attributesHash, GOLDEN_HASH);
  });

  it("refuses an unknown recipe and malformed inputs", () => {
    assert.deepEqual(craft({ recipe: "toString", inputs: [], gates: allGates, seed: "s" }), { ok: false, code: "UNKNOWN_RECIPE" });
    assert.deepEqual(craft({ recipe: "sunflower-sentinel", inputs: [stack("petal", -6)], gates: allGates, seed: "s" }), { ok: false, code: "INVALID_INPUTS" });
    assert.deepEqual(craft({ recipe: "sunflower-sentinel", inputs: [stack("petal", 6, 9)], gates: allGates, seed: "s" }), { ok: false, code: "INVALID_INPUTS" });
  });

  it("needs a Workshop for Workshop recipes and the base card for base-card recipes", () => {
    const brute = exactInputs(recipes["pumpkin-brute"]);
    assert.deepEqual(craft({ recipe: "pumpkin-brute", inputs: brute, gates: noGates, seed: "s" }), { ok: false, code: "WORKSHOP_REQUIRED" });
    assert.equal(craft({ recipe: "pumpkin-brute", inputs: brute, gates: { ...noGates, hasWorkshop: true }, seed: "s" }).ok, true);
    const drake = exactInputs(recipes["ember-drake"]);
    assert.deepEqual(craft({ recipe: "ember-drake", inputs: drake, gates: { hasWorkshop: true, heldBaseCards: ["sunflare"] }, seed: "s" }), {
      ok: false,
      code: "BASE_CARD_REQUIRED",
    });
    assert.equal(craft({ recipe: "ember-drake", inputs: drake, gates: { hasWorkshop: false, heldBaseCards: ["ember-whelp"] }, seed: "s" }).ok, true);
  });

  it("says which produce is short, counting only units good enough", () => {
    assert.deepEqual(craft({ recipe: "sunflare", inputs: [stack("petal", 10, 1), stack("grain", 4)], gates: noGates, seed: "s" }), {
      ok: false,
      code: "MISSING_INPUTS",
      kind: "petal",
      needed: 4,
      offered: 0,
    });
  });

  it("says when the catalyst is missing", () => {
    const inputs = exactInputs(recipes["ember-drake"]).filter((s) => s.kind !== "stardust");
    assert.deepEqual(craft({ recipe: "ember-drake", inputs, gates: allGates, seed: "s" }), {
      ok: false,
      code: "MISSING_CATALYST",
      kind: "stardust",
      needed: 1,
      offered: 0,
    });
  });

  it("spends the best grades first when offered more, and spends the catalyst", () => {
    const inputs = [stack("ember", 2, 3), stack("ember", 2, 5), stack("petal", 5, 2), stack("stardust", 3)];
    const result = ok(craft({ recipe: "ember-drake", inputs, gates: allGates, seed: "s" }));
    assert.deepEqual(result.consumed, [stack("ember", 2, 5), stack("ember", 1, 3), stack("petal", 4, 2), stack("stardust", 1)]);
  });

  it("makes two crafts of one recipe differ, and better produce make better cards on average", () => {
    const power = (quality: number) =>
      Array.from({ length: 200 }, (_, i) => ok(craft({ recipe: "sunflower-sentinel", inputs: petals(quality), gates: noGates, seed: `p${i}` })).card).reduce(
        (sum, card) => sum + card.attack + card.health,
        0,
      );
    const cards = new Set(Array.from({ length: 40 }, (_, i) => JSON.stringify(ok(craft({ recipe: "sunflower-sentinel", inputs: petals(3), gates: noGates, seed: `d${i}` })).card)));
    assert.ok(cards.size === 40, "the seed is part of every card");
    assert.ok(power(5) > power(1) + 200 * 2);
  });

  it("reaches epic or legendary only with good produce", () => {
    const rarities = (quality: number) =>
      new Set(Array.from({ length: 300 }, (_, i) => ok(craft({ recipe: "haystack-squire", inputs: [stack("grain", 10, quality)], gates: noGates, seed: `r${i}` })).card.rarity));
    const low = rarities(1);
    assert.ok(!low.has("epic") && !low.has("legendary") && low.has("rare"));
    const high = rarities(5);
    assert.ok(high.has("epic") && high.has("legendary"));
  });
});

describe("craft properties", () => {
  const recipeArb = fc.constantFrom(...recipeKeys);

  it("conserves resources: spends exactly the recipe's needs, out of what was offered, at the needed grades", () => {
    fc.assert(
      fc.property(recipeArb, stacksArb, fc.boolean(), seedArb, (key, extra, topUp, seed) => {
        const recipe: Recipe = recipes[key];
        const offered = topUp ? [...extra, ...exactInputs(recipe)] : extra;
        const result = craft({ recipe: key, inputs: offered, gates: allGates, seed });
        if (!result.ok) {
          assert.ok(!topUp && (result.code === "MISSING_INPUTS" || result.code === "MISSING_CATALYST"), result.code);
          return;
        }
        for (const need of recipe.inputs) {
          assert.equal(countOf(result.consumed, need.kind), need.quantity, need.kind);
          assert.equal(countOf(result.consumed, need.kind, need.minQuality), need.quantity, `${need.kind} grade`);
        }
        const needed = recipe.inputs.reduce((n, i) => n + i.quantity, 0) + (recipe.catalyst?.quantity ?? 0);
        assert.equal(result.consumed.reduce((n, s) => n + s.quantity, 0), needed, "nothing else is spent");
        const left = takeItems(offered, result.consumed);
        assert.ok(left.ok, "everything spent was offered");
        assert.ok(left.inventory.every((s) => s.quantity > 0));
      }),
      propertyRuns,
    );
  });

  it("is the same card for the same recipe, inputs and seed, and keeps every stat within the engine's bounds", () => {
    fc.assert(
      fc.property(recipeArb, fc.integer({ min: 1, max: 5 }), seedArb, (key, quality, seed) => {
        const inputs = exactInputs(recipes[key]).map((s) => (s.kind === "stardust" ? s : { ...s, quality: Math.max(s.quality, quality) }));
        const first = ok(craft({ recipe: key, inputs, gates: allGates, seed }));
        assert.deepEqual(craft({ recipe: key, inputs: mergeStacks([...inputs].reverse()), gates: allGates, seed: first.randomSeed }), first);
        const { card } = first;
        assert.ok(card.cost >= cardBounds.cost.min && card.cost <= cardBounds.cost.max);
        assert.ok(card.attack >= cardBounds.attack.min && card.attack <= cardBounds.attack.max);
        assert.ok(card.health >= cardBounds.health.min && card.health <= cardBounds.health.max);
        for (const a of card.abilities) {
          if (keywordAbilities.includes(a.name)) assert.equal(a.amount, 0);
          else {
            const bounds = cardBounds.amount[a.name as keyof typeof cardBounds.amount];
            assert.ok(a.amount >= bounds.min && a.amount <= bounds.max, `${a.name} ${a.amount}`);
          }
        }
        if (card.kind === "spell") assert.ok(card.attack === 0 && card.health === 1);
      }),
      propertyRuns,
    );
  });
});

describe("selectInputs", () => {
  it("fills a strict need before a lenient one of the same kind", () => {
    const recipe: Recipe = {
      ...recipes["haystack-squire"],
      inputs: [
        { kind: "grain", quantity: 2, minQuality: 1 },
        { kind: "grain", quantity: 2, minQuality: 4 },
      ],
    };
    const offered = [stack("grain", 2, 1), stack("grain", 2, 4)];
    assert.deepEqual(selectInputs(recipe, offered), { ok: true, consumed: [stack("grain", 2, 4), stack("grain", 2, 1)] });
  });
});

describe("averageQuality", () => {
  it("weighs grades by units and leaves catalysts out", () => {
    assert.equal(averageQuality([stack("grain", 3, 5), stack("petal", 1, 1), stack("stardust", 4)]), 4);
    assert.equal(averageQuality([]), 1);
  });
});

/** Heal 3, +2 for grade-4 berries (3 × 0.75, rounded), +3 for an epic roll. */
const GOLDEN_CARD = {
  cardKey: "moonberry-tonic",
  kind: "spell",
  cost: 3,
  attack: 0,
  health: 1,
  abilities: [
    { name: "heal", amount: 8 },
    { name: "draw", amount: 1 },
  ],
  rarity: "epic",
  attributes: { recipeId: 5, quality: 400, craftSeed: "golden-craft" },
};
const GOLDEN_HASH = "0x471478a305af44448690a973c6f5c6d276485b6f76bc758dca47a11dc76d7d25";

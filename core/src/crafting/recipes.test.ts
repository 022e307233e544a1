import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isResourceKind } from "../farming/catalogue.ts";
import { cardBounds, keywordAbilities } from "./card.ts";
import { catalystKinds, rarityTable, recipeOf, recipes, type Recipe } from "./recipes.ts";

const all = Object.entries(recipes) as [string, Recipe][];

describe("the recipe book", () => {
  it("gives every recipe a unique on-chain id and its key as card key", () => {
    const ids = all.map(([, r]) => r.recipeId);
    assert.equal(new Set(ids).size, ids.length);
    for (const [key, recipe] of all) assert.equal(recipe.cardKey, key);
  });

  it("asks only for produce and catalysts that exist, and base cards some recipe makes", () => {
    for (const [key, recipe] of all) {
      for (const input of recipe.inputs) assert.ok(isResourceKind(input.kind) && input.quantity > 0 && input.minQuality >= 1 && input.minQuality <= 5, key);
      if (recipe.catalyst !== null) assert.ok(Object.hasOwn(catalystKinds, recipe.catalyst.kind), key);
      if (recipe.requires !== null && "baseCard" in recipe.requires) assert.ok(recipeOf(recipe.requires.baseCard) !== null, key);
    }
  });

  it("keeps even a perfect legendary roll within the battle engine's bounds before clamping", () => {
    const top = rarityTable.bonusPoints.legendary;
    for (const [key, r] of all) {
      assert.ok(r.cost >= cardBounds.cost.min && r.cost <= cardBounds.cost.max, key);
      if (r.kind === "unit") {
        assert.ok(r.attack + r.qualityBonus.attack + top <= cardBounds.attack.max, key);
        assert.ok(r.health + r.qualityBonus.health + top <= cardBounds.health.max, key);
      } else {
        assert.ok(r.abilities.some((a) => !keywordAbilities.includes(a.name)), `${key}: a spell needs an ability with an amount`);
      }
    }
  });

  it("looks up own keys only", () => {
    assert.equal(recipeOf("sunflare")?.recipeId, 3);
    assert.equal(recipeOf("constructor"), null);
  });
});

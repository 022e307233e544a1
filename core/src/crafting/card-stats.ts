import { farmingCatalogue } from "../farming/catalogue.ts";
import { createRng, deriveSeed } from "../farming/random.ts";
import { cardBounds, keywordAbilities, type Ability, type Card, type Rarity } from "./card.ts";
import { rarityTable, type Recipe } from "./recipes.ts";

/**
 * A card from a recipe, the produce's average quality grade and the crafting seed:
 * 1. quality: each stat gains the recipe's `qualityBonus` times the quality score (0 at grade 1, 1 at
 *    grade 5), rounded;
 * 2. rarity: a roll (seed "rarity") plus a quarter of the quality score, against `rarityTable`;
 * 3. rarity points: for a unit each goes to attack or health at random (seed "stats"), to the other
 *    when one is at its bound; for a spell all go to its primary ability's amount;
 * 4. everything held within the battle engine's bounds (card.ts).
 */
export function cardFromRecipe(recipe: Recipe, averageQuality: number, seed: string): Card {
  const { minQuality, maxQuality } = farmingCatalogue.harvest;
  const score = Math.min(1, Math.max(0, (averageQuality - minQuality) / (maxQuality - minQuality)));
  const rarity = rollRarity(score, seed);
  const points = rarityTable.bonusPoints[rarity];
  const primary = recipe.abilities.findIndex((a) => !keywordAbilities.includes(a.name));
  const spellPoints = recipe.kind === "spell" ? points : 0;
  const abilities: Ability[] = recipe.abilities.map((a, i) =>
    clampAbility({ name: a.name, amount: i === primary ? a.amount + Math.round(recipe.qualityBonus.amount * score) + spellPoints : a.amount }),
  );
  let attack = clamp(recipe.attack + Math.round(recipe.qualityBonus.attack * score), cardBounds.attack);
  let health = clamp(recipe.health + Math.round(recipe.qualityBonus.health * score), cardBounds.health);
  if (recipe.kind === "unit") {
    const rng = createRng(deriveSeed(seed, "stats"));
    for (let i = 0; i < points; i++) {
      const toAttack = rng.chance(0.5);
      if ((toAttack && attack < cardBounds.attack.max) || health >= cardBounds.health.max) attack = clamp(attack + 1, cardBounds.attack);
      else health = clamp(health + 1, cardBounds.health);
    }
  } else {
    // A spell is played for its abilities; attack and health are fixed so the shape stays uniform.
    attack = 0;
    health = cardBounds.health.min;
  }
  return {
    cardKey: recipe.cardKey,
    kind: recipe.kind,
    cost: clamp(recipe.cost, cardBounds.cost),
    attack,
    health,
    abilities,
    rarity,
    attributes: { recipeId: recipe.recipeId, quality: Math.round(averageQuality * 100), craftSeed: seed },
  };
}

/** The rarity for a quality score in [0, 1] and the crafting seed. */
export function rollRarity(score: number, seed: string): Rarity {
  const value = createRng(deriveSeed(seed, "rarity")).next() + rarityTable.qualityWeight * score;
  return rarityTable.thresholds.find((t) => value >= t.atLeast)?.rarity ?? "common";
}

function clampAbility(ability: Ability): Ability {
  if (keywordAbilities.includes(ability.name)) return { name: ability.name, amount: 0 };
  const bounds = cardBounds.amount[ability.name as keyof typeof cardBounds.amount];
  return { name: ability.name, amount: clamp(ability.amount, bounds) };
}

function clamp(value: number, bounds: { min: number; max: number }): number {
  return Math.min(bounds.max, Math.max(bounds.min, value));
}

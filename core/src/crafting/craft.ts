import type { Hex } from "viem";
import { isResourceKind } from "../farming/catalogue.ts";
import type { Card } from "./card.ts";
import { attributesHash } from "./card-hash.ts";
import { cardFromRecipe } from "./card-stats.ts";
import { areValidStacks } from "./inventory.ts";
import { recipeOf, type ItemKind, type ItemStack } from "./recipes.ts";
import { selectInputs } from "./select-inputs.ts";

/**
 * What the crafter may use, as the ownership module answers it (core/src/ownership/use-right.ts): a
 * land with the Workshop trait owned or rented now, and the card keys of base cards it holds.
 */
export type CraftGates = { hasWorkshop: boolean; heldBaseCards: readonly string[] };

export type CraftParameters = {
  /** The recipe's key (recipes.ts). */
  recipe: string;
  /** The stacks the player offers; the recipe takes exactly what it needs from them (select-inputs.ts). */
  inputs: readonly ItemStack[];
  gates: CraftGates;
  /** The recorded seed of this craft. */
  seed: string;
};

export type CraftResult =
  | { ok: true; card: Card; consumed: ItemStack[]; attributesHash: Hex; randomSeed: string }
  | { ok: false; code: "UNKNOWN_RECIPE" | "INVALID_INPUTS" | "WORKSHOP_REQUIRED" | "BASE_CARD_REQUIRED" }
  | { ok: false; code: "MISSING_INPUTS" | "MISSING_CATALYST"; kind: ItemKind; needed: number; offered: number };

/** Every code `craft` can return. */
export const craftErrorCodes = [
  "UNKNOWN_RECIPE",
  "INVALID_INPUTS",
  "WORKSHOP_REQUIRED",
  "BASE_CARD_REQUIRED",
  "MISSING_INPUTS",
  "MISSING_CATALYST",
] as const;

/**
 * Crafts a card: checks the recipe's gate, takes exactly the recipe's inputs (and catalyst) from the
 * offered stacks, and rolls the card from the produce's average quality and `seed`. The caller removes
 * `consumed` from the inventory (or reserves it: ledger.ts) in the same transaction that stores the card.
 *
 * @example
 * const result = craft({ recipe: "sunflower-sentinel", inputs, gates: { hasWorkshop: false, heldBaseCards: [] }, seed });
 * if (result.ok) store(result.card, result.attributesHash, result.consumed);
 */
export function craft({ recipe: key, inputs, gates, seed }: CraftParameters): CraftResult {
  const recipe = recipeOf(key);
  if (recipe === null) return { ok: false, code: "UNKNOWN_RECIPE" };
  if (!areValidStacks(inputs)) return { ok: false, code: "INVALID_INPUTS" };
  if (recipe.requires !== null) {
    if ("landTrait" in recipe.requires && !gates.hasWorkshop) return { ok: false, code: "WORKSHOP_REQUIRED" };
    if ("baseCard" in recipe.requires && !gates.heldBaseCards.includes(recipe.requires.baseCard)) {
      return { ok: false, code: "BASE_CARD_REQUIRED" };
    }
  }
  const selected = selectInputs(recipe, inputs);
  if (!selected.ok) return selected;
  const card = cardFromRecipe(recipe, averageQuality(selected.consumed), seed);
  return { ok: true, card, consumed: selected.consumed, attributesHash: attributesHash(card), randomSeed: seed };
}

/** The mean quality grade of the produce consumed (catalysts have no grade and do not count). */
export function averageQuality(consumed: readonly ItemStack[]): number {
  const produce = consumed.filter((s) => isResourceKind(s.kind));
  const units = produce.reduce((sum, s) => sum + s.quantity, 0);
  return units === 0 ? 1 : produce.reduce((sum, s) => sum + s.quality * s.quantity, 0) / units;
}

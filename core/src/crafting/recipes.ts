import type { ResourceKind } from "../farming/catalogue.ts";
import type { Ability, CardKind, Rarity } from "./card.ts";

/**
 * Crafting data: catalysts, recipes and the rarity table. Balance reasons are in docs/farming-rules.md
 * ("Crafting"). A recipe's `recipeId` is its on-chain id: never reuse or renumber one.
 */

/** Items that are not grown: rewards from battles and events, spent as catalysts. Quality is always 1. */
export const catalystKinds = { stardust: {}, "ancient-bark": {} } as const;
export type CatalystKind = keyof typeof catalystKinds;

/** Anything that sits in the inventory in stacks: produce and catalysts. */
export type ItemKind = ResourceKind | CatalystKind;

/** A stack of items of one kind and quality grade. */
export type ItemStack = { kind: ItemKind; quality: number; quantity: number };

/** A recipe's need: `quantity` units of `kind`, each at least `minQuality`. */
export type RecipeInput = { kind: ResourceKind; quantity: number; minQuality: number };

/** What a recipe needs beyond its inputs, checked by the caller through the ownership module. */
export type RecipeRequirement = { landTrait: "workshop" } | { baseCard: string };

export type Recipe = {
  recipeId: number;
  cardKey: string;
  kind: CardKind;
  cost: number;
  attack: number;
  health: number;
  /** The first ability with an amount is the primary one: quality and rarity strengthen it (spells). */
  abilities: readonly Ability[];
  /** What perfect produce (every unit grade 5) adds; less good produce adds in proportion, rounded. */
  qualityBonus: { attack: number; health: number; amount: number };
  inputs: readonly RecipeInput[];
  catalyst: { kind: CatalystKind; quantity: number } | null;
  requires: RecipeRequirement | null;
};

export const recipes = {
  "sunflower-sentinel": {
    recipeId: 1, cardKey: "sunflower-sentinel", kind: "unit", cost: 2, attack: 1, health: 3,
    abilities: [{ name: "taunt", amount: 0 }], qualityBonus: { attack: 1, health: 2, amount: 0 },
    inputs: [{ kind: "petal", quantity: 6, minQuality: 1 }], catalyst: null, requires: null,
  },
  "haystack-squire": {
    recipeId: 2, cardKey: "haystack-squire", kind: "unit", cost: 1, attack: 1, health: 2,
    abilities: [], qualityBonus: { attack: 1, health: 1, amount: 0 },
    inputs: [{ kind: "grain", quantity: 10, minQuality: 1 }], catalyst: null, requires: null,
  },
  sunflare: {
    recipeId: 3, cardKey: "sunflare", kind: "spell", cost: 2, attack: 0, health: 1,
    abilities: [{ name: "damage", amount: 2 }], qualityBonus: { attack: 0, health: 0, amount: 2 },
    inputs: [{ kind: "petal", quantity: 4, minQuality: 2 }, { kind: "grain", quantity: 4, minQuality: 1 }], catalyst: null, requires: null,
  },
  "pumpkin-brute": {
    recipeId: 4, cardKey: "pumpkin-brute", kind: "unit", cost: 4, attack: 3, health: 5,
    abilities: [{ name: "shield", amount: 0 }], qualityBonus: { attack: 1, health: 3, amount: 0 },
    inputs: [{ kind: "gourd", quantity: 4, minQuality: 2 }, { kind: "grain", quantity: 6, minQuality: 1 }], catalyst: null,
    requires: { landTrait: "workshop" },
  },
  "moonberry-tonic": {
    recipeId: 5, cardKey: "moonberry-tonic", kind: "spell", cost: 3, attack: 0, health: 1,
    abilities: [{ name: "heal", amount: 3 }, { name: "draw", amount: 1 }], qualityBonus: { attack: 0, health: 0, amount: 3 },
    inputs: [{ kind: "berry", quantity: 5, minQuality: 3 }], catalyst: null, requires: null,
  },
  "ember-whelp": {
    recipeId: 6, cardKey: "ember-whelp", kind: "unit", cost: 3, attack: 3, health: 2,
    abilities: [{ name: "charge", amount: 0 }], qualityBonus: { attack: 1, health: 1, amount: 0 },
    inputs: [{ kind: "ember", quantity: 2, minQuality: 2 }], catalyst: null, requires: { landTrait: "workshop" },
  },
  "ember-drake": {
    recipeId: 7, cardKey: "ember-drake", kind: "unit", cost: 6, attack: 5, health: 5,
    abilities: [{ name: "charge", amount: 0 }], qualityBonus: { attack: 2, health: 2, amount: 0 },
    inputs: [{ kind: "ember", quantity: 3, minQuality: 3 }, { kind: "petal", quantity: 4, minQuality: 2 }],
    catalyst: { kind: "stardust", quantity: 1 }, requires: { baseCard: "ember-whelp" },
  },
} as const satisfies Record<string, Recipe>;

export type RecipeKey = keyof typeof recipes;

/** The recipe called `key`, or null (own keys only). */
export function recipeOf(key: string): Recipe | null {
  return Object.hasOwn(recipes, key) ? (recipes[key as RecipeKey] as Recipe) : null;
}

/**
 * Rarity: a roll in [0, 1) plus a quarter of the produce's quality score (0 at grade 1, 1 at grade 5),
 * against these lower bounds. Grade-1 produce can reach rare at best; epic and legendary need quality.
 */
export const rarityTable = {
  qualityWeight: 0.25,
  thresholds: [
    { rarity: "legendary", atLeast: 1.2 },
    { rarity: "epic", atLeast: 1.0 },
    { rarity: "rare", atLeast: 0.85 },
    { rarity: "uncommon", atLeast: 0.6 },
    { rarity: "common", atLeast: 0 },
  ],
  /** Stat points a rarity adds: to attack or health at random (units), or to the primary amount (spells). */
  bonusPoints: { common: 0, uncommon: 1, rare: 2, epic: 3, legendary: 4 },
} as const satisfies {
  qualityWeight: number;
  thresholds: readonly { rarity: Rarity; atLeast: number }[];
  bonusPoints: Record<Rarity, number>;
};

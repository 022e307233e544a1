import type { Hex } from "viem";
import { attributesHash } from "../crafting/card-hash.ts";
import type { Card } from "../crafting/card.ts";
import { deriveSeed } from "../farming/random.ts";
import type { Ability } from "./cards.ts";

/** A starter card's design, as the battle engine plays it. */
export type StarterTemplate = { key: string; kind: "unit" | "spell"; cost: number; attack: number; health: number; abilities: Ability[] };

/** Ten templates, two copies each: 20 cards, a curve from 1 to 5 mana with every keyword once. */
export const starterTemplates: readonly StarterTemplate[] = [
  { key: "sprout", kind: "unit", cost: 1, attack: 1, health: 2, abilities: [] },
  { key: "scarecrow", kind: "unit", cost: 1, attack: 0, health: 3, abilities: [{ kind: "taunt" }] },
  { key: "field-mouse", kind: "unit", cost: 2, attack: 2, health: 1, abilities: [{ kind: "charge" }] },
  { key: "hedgehog", kind: "unit", cost: 2, attack: 2, health: 2, abilities: [{ kind: "shield" }] },
  { key: "ox", kind: "unit", cost: 3, attack: 3, health: 4, abilities: [] },
  { key: "beehive", kind: "unit", cost: 4, attack: 4, health: 3, abilities: [] },
  { key: "tractor", kind: "unit", cost: 5, attack: 5, health: 5, abilities: [{ kind: "taunt" }] },
  { key: "hailstorm", kind: "spell", cost: 2, attack: 0, health: 0, abilities: [{ kind: "damage", amount: 3 }] },
  { key: "rain", kind: "spell", cost: 1, attack: 0, health: 0, abilities: [{ kind: "heal", amount: 4 }] },
  { key: "almanac", kind: "spell", cost: 2, attack: 0, health: 0, abilities: [{ kind: "draw", amount: 2 }] },
];

/** Copies of each template in the starter deck and the starter pack. */
export const STARTER_COPIES = 2;

/** Starter cards' recipe id: no on-chain recipe has it, so a starter card is never minted. */
export const STARTER_RECIPE_ID = 0;

const STARTER_PREFIX = "starter-";

/** The card key (and stored recipe key) of a starter template: `starter-<key>`. */
export function starterCardKey(templateKey: string): string {
  return `${STARTER_PREFIX}${templateKey}`;
}

/** Whether a stored card's recipe key names a starter card (these cannot be minted). */
export function isStarterRecipeKey(recipeKey: string): boolean {
  return recipeKey.startsWith(STARTER_PREFIX);
}

/** A starter card as game.cards stores it: the crafted-card shape with a deterministic seed and hash. */
export type StarterCard = { recipeKey: string; recipeId: number; card: Card; attributesHash: Hex; randomSeed: string };

/**
 * The starter pack of one player: every template {@link STARTER_COPIES} times, in the crafted-card
 * shape (spells carry health 1, as crafted spells do; the engine ignores it). Seeds and hashes derive
 * from the player id alone, so the pack is the same however often it is computed.
 *
 * @example
 * starterPack("42").length // 20
 */
export function starterPack(playerId: string): StarterCard[] {
  return starterTemplates.flatMap((template) =>
    Array.from({ length: STARTER_COPIES }, (_, i) => {
      const randomSeed = deriveSeed("starter-pack", `${playerId}:${template.key}:${i + 1}`);
      const card: Card = {
        cardKey: starterCardKey(template.key),
        kind: template.kind,
        cost: template.cost,
        attack: template.attack,
        health: template.kind === "spell" ? 1 : template.health,
        abilities: template.abilities.map((ability) => ({ name: ability.kind, amount: "amount" in ability ? ability.amount : 0 })),
        rarity: "common",
        attributes: { recipeId: STARTER_RECIPE_ID, quality: 100, craftSeed: randomSeed },
      };
      return { recipeKey: starterCardKey(template.key), recipeId: STARTER_RECIPE_ID, card, attributesHash: attributesHash(card), randomSeed };
    }),
  );
}

import type { Ability, CardDef } from "./cards.ts";

/**
 * What each ability is worth in stat points (one point = one attack or one health), so that
 * different cards compare on one scale. A shield is worth about one more hit; a damage point is
 * worth more than a stat point because it lands where its caster chooses; a card drawn is worth
 * about two points.
 */
export const abilityValue = {
  taunt: () => 1,
  charge: () => 1,
  shield: () => 2,
  damage: (amount: number) => 1.5 * amount,
  heal: (amount: number) => 0.75 * amount,
  draw: (amount: number) => 2 * amount,
} as const;

/** A card's worth in stat points: attack + health + its abilities' values. */
export function cardValue(card: CardDef): number {
  return card.attack + card.health + card.abilities.reduce((sum, ability) => sum + valueOf(ability), 0);
}

/**
 * A card's power: its worth per mana, as `value / (2 * cost + 1)`. A vanilla card of the usual
 * curve (cost c, 2c + 1 stat points, e.g. a 2/3 for 2) scores 1; cheaper or stronger scores more.
 */
export function cardPower(card: CardDef): number {
  return cardValue(card) / (2 * card.cost + 1);
}

/**
 * A deck's power for matchmaking: 100 times the mean card power, so a deck of fair cards scores
 * about 100. It rises with every attack, health or ability amount and with every mana a card
 * saves (strictly, card by card); it uses the mean, not the sum, because a player draws only part
 * of any deck, so 30 cards are not stronger than 20 of the same quality. An empty deck scores 0.
 *
 * @example
 * deckPower(deck) // e.g. 104.2
 */
export function deckPower(deck: readonly CardDef[]): number {
  if (deck.length === 0) return 0;
  return (100 * deck.reduce((sum, card) => sum + cardPower(card), 0)) / deck.length;
}

function valueOf(ability: Ability): number {
  return "amount" in ability ? abilityValue[ability.kind](ability.amount) : abilityValue[ability.kind]();
}

import type { Card, Ability as CraftedAbility } from "../crafting/card.ts";
import type { Ability, CardDef } from "./cards.ts";

/** A card as game.cards stores it: its id, its recipe key and the crafted card. */
export type StoredCard = { id: string; recipeKey: string; card: Card };

/** The battle id of a stored card: `c<cardId>` (unique in a battle, since a card has one user at a time). */
export function battleCardId(cardId: string): string {
  return `c${cardId}`;
}

/**
 * The card the battle engine plays for a stored crafted card. The card key is the recipe key (copies
 * are counted per recipe); a spell's stats become 0 (crafted spells carry health 1); keywords lose
 * their amount of 0. Nothing is checked here: `validateDeck` judges the result.
 *
 * @example
 * cardDefFromCrafted({ id: "12", recipeKey: "sunflare", card }) // { id: "c12", cardKey: "sunflare", kind: "spell", … }
 */
export function cardDefFromCrafted({ id, recipeKey, card }: StoredCard): CardDef {
  const spell = card.kind === "spell";
  return {
    id: battleCardId(id),
    cardKey: recipeKey,
    kind: card.kind,
    cost: card.cost,
    attack: spell ? 0 : card.attack,
    health: spell ? 0 : card.health,
    abilities: card.abilities.map(abilityFromCrafted),
  };
}

function abilityFromCrafted({ name, amount }: CraftedAbility): Ability {
  switch (name) {
    case "taunt":
    case "charge":
    case "shield":
      return { kind: name };
    case "damage":
    case "heal":
    case "draw":
      return { kind: name, amount };
  }
}

/**
 * The shape of a crafted card, as the battle engine plays it, and the codes each field takes in the
 * card's attributes hash. The codes are part of minted cards' on-chain hashes: append only, never
 * renumber.
 */

/** Card kinds and their hash codes. */
export const cardKindCodes = { unit: 1, spell: 2 } as const;
export type CardKind = keyof typeof cardKindCodes;

/** Abilities and their hash codes. Keywords (taunt, charge, shield) carry amount 0; the rest an amount. */
export const abilityCodes = { taunt: 1, charge: 2, shield: 3, heal: 4, damage: 5, draw: 6 } as const;
export type AbilityName = keyof typeof abilityCodes;

/** Rarities from lowest, with their hash codes. */
export const rarityCodes = { common: 0, uncommon: 1, rare: 2, epic: 3, legendary: 4 } as const;
export type Rarity = keyof typeof rarityCodes;

/** An ability with its strength: damage dealt, health healed, cards drawn; 0 for keywords. */
export type Ability = { name: AbilityName; amount: number };

/** The ranges the battle engine accepts; crafted stats are held within them. */
export const cardBounds = {
  cost: { min: 0, max: 10 },
  attack: { min: 0, max: 12 },
  health: { min: 1, max: 12 },
  amount: { heal: { min: 1, max: 10 }, damage: { min: 1, max: 10 }, draw: { min: 1, max: 3 } },
} as const;

/** Abilities that carry no amount. */
export const keywordAbilities: readonly AbilityName[] = ["taunt", "charge", "shield"];

/** What a card records about how it was made; all of it goes into the attributes hash. */
export type CardAttributes = {
  /** The recipe's on-chain id (the voucher's `recipeId`). */
  recipeId: number;
  /** The produce's average quality grade, times 100 (100..500). */
  quality: number;
  /** The crafting seed, so that anyone can re-derive the card from its recipe and inputs. */
  craftSeed: string;
};

/**
 * A crafted card. Spells carry attack 0 and health 1, which the battle engine ignores: one shape for
 * every card keeps the schema and the hash simple.
 */
export type Card = {
  cardKey: string;
  kind: CardKind;
  cost: number;
  attack: number;
  health: number;
  abilities: Ability[];
  rarity: Rarity;
  attributes: CardAttributes;
};

import { encodeAbiParameters, keccak256, type Hex } from "viem";
import { abilityCodes, cardKindCodes, rarityCodes, type Card } from "./card.ts";

/** The version of the encoding below; a new encoding gets a new number, and old hashes stay checkable. */
export const ATTRIBUTES_ENCODING_VERSION = 1;

/**
 * The ABI layout hashed for a card: Solidity's `abi.encode` of these fields, in this order. ABI encoding
 * is canonical and any EVM tool (or a contract) can rebuild it, unlike JSON, whose key order and number
 * formatting vary between languages.
 */
export const cardAttributesAbi = [
  { name: "version", type: "uint8" },
  { name: "recipeId", type: "uint64" },
  { name: "cardKey", type: "string" },
  { name: "kind", type: "uint8" },
  { name: "cost", type: "uint8" },
  { name: "attack", type: "uint8" },
  { name: "health", type: "uint8" },
  { name: "rarity", type: "uint8" },
  {
    name: "abilities",
    type: "tuple[]",
    components: [
      { name: "ability", type: "uint8" },
      { name: "amount", type: "uint8" },
    ],
  },
  { name: "quality", type: "uint16" },
  { name: "craftSeed", type: "string" },
] as const;

/**
 * The hash the mint voucher carries as `attributesHash`: keccak256 of `cardAttributesAbi` filled from
 * the card, with kinds, rarities and abilities as their codes (card.ts) and abilities sorted by code,
 * so that the order a recipe lists them in never changes the hash.
 *
 * @example
 * attributesHash(card) // "0x…" (bytes32)
 */
export function attributesHash(card: Card): Hex {
  const abilities = card.abilities
    .map((a) => ({ ability: abilityCodes[a.name], amount: a.amount }))
    .sort((a, b) => a.ability - b.ability || a.amount - b.amount);
  return keccak256(
    encodeAbiParameters(cardAttributesAbi, [
      ATTRIBUTES_ENCODING_VERSION,
      BigInt(card.attributes.recipeId),
      card.cardKey,
      cardKindCodes[card.kind],
      card.cost,
      card.attack,
      card.health,
      rarityCodes[card.rarity],
      abilities,
      card.attributes.quality,
      card.attributes.craftSeed,
    ]),
  );
}

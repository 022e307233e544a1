import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeAbiParameters, encodeAbiParameters, keccak256 } from "viem";
import type { Card } from "./card.ts";
import { attributesHash, cardAttributesAbi } from "./card-hash.ts";

const card: Card = {
  cardKey: "moonberry-tonic",
  kind: "spell",
  cost: 3,
  attack: 0,
  health: 1,
  abilities: [
    { name: "heal", amount: 5 },
    { name: "draw", amount: 1 },
  ],
  rarity: "rare",
  attributes: { recipeId: 5, quality: 340, craftSeed: "0xseed" },
};

describe("attributesHash", () => {
  it("is keccak256 of the ABI encoding, with codes for kind, rarity and abilities (sorted by code)", () => {
    const expected = keccak256(
      encodeAbiParameters(cardAttributesAbi, [1, 5n, "moonberry-tonic", 2, 3, 0, 1, 2, [{ ability: 4, amount: 5 }, { ability: 6, amount: 1 }], 340, "0xseed"]),
    );
    assert.equal(attributesHash(card), expected);
  });

  it("does not depend on the order the abilities are listed in", () => {
    assert.equal(attributesHash({ ...card, abilities: [...card.abilities].reverse() }), attributesHash(card));
  });

  it("changes with any stat or attribute", () => {
    const hash = attributesHash(card);
    for (const changed of [
      { ...card, cost: 4 },
      { ...card, rarity: "epic" as const },
      { ...card, abilities: [{ name: "heal" as const, amount: 6 }, { name: "draw" as const, amount: 1 }] },
      { ...card, attributes: { ...card.attributes, quality: 341 } },
      { ...card, attributes: { ...card.attributes, craftSeed: "0xother" } },
    ]) {
      assert.notEqual(attributesHash(changed), hash);
    }
  });

  it("encodes something any EVM tool decodes back", () => {
    const encoded = encodeAbiParameters(cardAttributesAbi, [1, 5n, "k", 1, 1, 1, 1, 0, [], 100, "s"]);
    assert.equal(decodeAbiParameters(cardAttributesAbi, encoded)[2], "k");
  });
});

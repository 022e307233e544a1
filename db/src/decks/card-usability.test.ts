import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { OwnershipReader, UsableToken } from "../ownership/ownership-reader.ts";
import { unusableCardIds, usableMintedCardIds } from "./card-usability.ts";

const me = "7";
const rows = [
  { id: "1", holder_id: me, status: "offchain" as const },
  { id: "2", holder_id: me, status: "voucher_issued" as const },
  { id: "3", holder_id: "8", status: "offchain" as const },
  { id: "4", holder_id: me, status: "minted" as const },
  { id: "5", holder_id: "8", status: "minted" as const },
];

/** An ownership reader that answers with the tokens given, and counts its calls. */
function readerAnswering(tokens: Pick<UsableToken, "collection" | "tokenId">[]) {
  const reader = {
    calls: 0,
    async usableTokens() {
      reader.calls += 1;
      return { value: tokens as UsableToken[], head: { blockNumber: 1n, blockTimestamp: 1n, finalizedBlockNumber: 1n }, final: true };
    },
  };
  return reader satisfies Pick<OwnershipReader, "usableTokens">;
}

describe("unusableCardIds", () => {
  it("accepts off-chain cards the player holds, with or without a live voucher", () => {
    assert.deepEqual(unusableCardIds(["1", "2"], rows, me, new Set()), []);
  });

  it("refuses off-chain cards held by another player, and cards that do not exist", () => {
    assert.deepEqual(unusableCardIds(["1", "3", "99"], rows, me, new Set()), ["3", "99"]);
  });

  it("takes the chain's word on minted cards, whoever the game's row names", () => {
    // Card 4 was crafted here but is rented out now; card 5 was crafted by another player and is rented to us.
    assert.deepEqual(unusableCardIds(["4", "5"], rows, me, new Set(["5"])), ["4"]);
    assert.deepEqual(unusableCardIds(["4", "5"], rows, me, new Set(["4"])), ["5"]);
  });

  it("names each refused card once, in the order given", () => {
    assert.deepEqual(unusableCardIds(["99", "3", "99"], rows, me, new Set()), ["99", "3"]);
  });
});

describe("usableMintedCardIds", () => {
  it("asks the ownership module only when a card is minted", async () => {
    const reader = readerAnswering([]);
    assert.deepEqual(await usableMintedCardIds(reader, "0xabc", rows.slice(0, 3)), new Set());
    assert.equal(reader.calls, 0);
  });

  it("keeps the card tokens of the answer, not the lands", async () => {
    const reader = readerAnswering([{ collection: "card", tokenId: 4n }, { collection: "land", tokenId: 5n }]);
    assert.deepEqual(await usableMintedCardIds(reader, "0xabc", rows), new Set(["4"]));
    assert.equal(reader.calls, 1);
  });

  it("lets an indexer that is not ready fail the check rather than guess", async () => {
    const reader = { usableTokens: async () => Promise.reject(new Error("not ready")) };
    await assert.rejects(usableMintedCardIds(reader, "0xabc", rows), /not ready/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blockOfCheckpoint } from "./checkpoint.ts";

describe("blockOfCheckpoint", () => {
  it("reads the timestamp and block number of a Ponder checkpoint", () => {
    const checkpoint = "179563304100000000000313370000000000000002999999999999999999999999999999999";
    assert.deepEqual(blockOfCheckpoint(checkpoint), { timestamp: 1795633041n, blockNumber: 2n });
  });

  it("refuses a string that is not a checkpoint", () => {
    assert.throws(() => blockOfCheckpoint("12345"), /not a Ponder checkpoint/);
  });
});

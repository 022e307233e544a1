import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapWithConcurrency } from "./map-with-concurrency.ts";

describe("mapWithConcurrency", () => {
  it("answers in the items' order and never runs more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithConcurrency([50, 10, 30, 0, 20, 40], 3, async (ms, index) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return `${index}:${ms}`;
    });
    assert.deepEqual(results, ["0:50", "1:10", "2:30", "3:0", "4:20", "5:40"]);
    assert.equal(most, 3);
  });

  it("answers an empty list at once, rejects when a call throws, and refuses a limit below one", async () => {
    assert.deepEqual(await mapWithConcurrency([], 4, async () => 1), []);
    await assert.rejects(mapWithConcurrency([1, 2], 2, async (n) => (n === 2 ? Promise.reject(new Error("two")) : n)), /two/);
    await assert.rejects(mapWithConcurrency([1], 0, async (n) => n), RangeError);
  });
});

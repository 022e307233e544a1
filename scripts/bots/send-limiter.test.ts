import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSendLimiter } from "./send-limiter.ts";

describe("send limiter", () => {
  it("allows limit - 1 messages in a window at once, then makes the next wait for the window, in order", async () => {
    const limiter = createSendLimiter(3, 100);
    assert.equal(limiter.tryTake(), true);
    assert.equal(limiter.tryTake(), true);
    assert.equal(limiter.tryTake(), false, "the window is full");
    const started = performance.now();
    const order: number[] = [];
    const first = limiter.slot().then(() => order.push(1));
    assert.equal(limiter.tryTake(), false, "nobody jumps the queue");
    const second = limiter.slot().then(() => order.push(2));
    await Promise.all([first, second]);
    assert.ok(performance.now() - started >= 95, "waited for the window to move on");
    assert.deepEqual(order, [1, 2]);
    assert.equal(limiter.tryTake(), false, "the two that waited fill the new window");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRateStateIdle, takeChatSlot, type ChatRateState } from "./chat-rate.ts";

const rule = { maxMessages: 5, windowMs: 10_000 };

/** Sends at each time in turn; returns which were allowed and the final state. */
function sendAt(times: readonly number[], state: ChatRateState = []) {
  const allowed: boolean[] = [];
  for (const t of times) {
    const decision = takeChatSlot(state, t, rule);
    allowed.push(decision.ok);
    state = decision.state;
  }
  return { allowed, state };
}

describe("the chat rate rule", () => {
  it("allows 5 messages in 10 s and refuses the 6th", () => {
    const { allowed } = sendAt([0, 1_000, 2_000, 3_000, 4_000, 5_000]);
    assert.deepEqual(allowed, [true, true, true, true, true, false]);
  });

  it("says when the oldest message leaves the window", () => {
    const { state } = sendAt([0, 1_000, 2_000, 3_000, 4_000]);
    const refused = takeChatSlot(state, 6_500, rule);
    assert.deepEqual(refused, { ok: false, code: "RATE_LIMITED", retryAfterMs: 3_500, state: [0, 1_000, 2_000, 3_000, 4_000] });
    assert.equal(takeChatSlot(state, 9_999, rule).ok, false);
    assert.equal(takeChatSlot(state, 10_000, rule).ok, true, "the window slides: the message at 0 no longer counts");
  });

  it("does not count refused messages", () => {
    const { allowed } = sendAt([0, 0, 0, 0, 0, 1, 2, 3, 10_000]);
    assert.deepEqual(allowed, [true, true, true, true, true, false, false, false, true]);
  });

  it("keeps at most maxMessages timestamps", () => {
    const { state } = sendAt(Array.from({ length: 100 }, (_, i) => i * 2_000));
    assert.ok(state.length <= rule.maxMessages);
  });

  it("treats a clock going backwards as standing still", () => {
    const { allowed } = sendAt([50_000, 1, 2, 3, 4, 5]);
    assert.deepEqual(allowed, [true, true, true, true, true, false]);
  });

  it("is idle once the window has passed since the last message", () => {
    assert.equal(isRateStateIdle([], 0, rule), true);
    assert.equal(isRateStateIdle([1_000], 10_999, rule), false);
    assert.equal(isRateStateIdle([1_000], 11_000, rule), true);
  });
});

import { chatRules } from "./chat-rules.ts";

/** A sliding-window limit: at most `maxMessages` in any `windowMs`. */
export type ChatRateRule = { maxMessages: number; windowMs: number };

/** When a player's last messages were sent (ms, oldest first); never longer than the rule's maxMessages. */
export type ChatRateState = readonly number[];

export type ChatRateDecision = { ok: true; state: ChatRateState } | { ok: false; code: "RATE_LIMITED"; retryAfterMs: number; state: ChatRateState };

export const defaultChatRate: ChatRateRule = { maxMessages: chatRules.rateMaxMessages, windowMs: chatRules.rateWindowMs };

/**
 * Decides whether a player may send a message at `nowMs`, given when it sent its last ones. Allowed:
 * the new state records it. Refused: the state is unchanged (a refused message does not count) and
 * `retryAfterMs` says when the oldest message leaves the window. A clock that went backwards counts
 * as standing still.
 */
export function takeChatSlot(state: ChatRateState, nowMs: number, rule: ChatRateRule = defaultChatRate): ChatRateDecision {
  const last = state.at(-1);
  const at = last === undefined ? nowMs : Math.max(nowMs, last);
  const recent = state.filter((sentAt) => sentAt > at - rule.windowMs);
  if (recent.length >= rule.maxMessages) {
    const oldest = recent[recent.length - rule.maxMessages] ?? at;
    return { ok: false, code: "RATE_LIMITED", retryAfterMs: oldest + rule.windowMs - at, state: recent };
  }
  return { ok: true, state: [...recent, at] };
}

/** Whether a state no longer limits anything at `nowMs` (its owner may be forgotten). */
export function isRateStateIdle(state: ChatRateState, nowMs: number, rule: ChatRateRule = defaultChatRate): boolean {
  const last = state.at(-1);
  return last === undefined || last <= nowMs - rule.windowMs;
}

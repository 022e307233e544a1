import type { BattleAction } from "./actions.ts";
import { attack } from "./attack.ts";
import { draftOf, endBattle, otherSeat } from "./draft.ts";
import { settle } from "./effects.ts";
import type { BattleEvent } from "./events.ts";
import { reject, type Rejection } from "./errors.ts";
import { playCard } from "./play-card.ts";
import { seatOf, type BattleState } from "./state.ts";
import { endTurn, timeOutTurn } from "./turns.ts";

export type ApplyActionResult = { ok: true; state: BattleState; events: BattleEvent[] } | Rejection;

/**
 * The one entry point of the rules: applies `action` at game time `nowMs` and returns the new
 * state with the events it caused, or a refusal with a stable code. `state` is never changed; a
 * refusal changes nothing. Checks, in order: the action's shape (INVALID_ACTION), the player
 * (UNKNOWN_PLAYER), the battle running (BATTLE_OVER); concede is then accepted; otherwise the turn
 * (NOT_YOUR_TURN), the timer (TURN_EXPIRED for a player action at or after the deadline,
 * TURN_NOT_EXPIRED for a timeout before it), then the action's own rules.
 *
 * @example
 * const result = applyAction(state, { type: "end_turn", playerId: "alice" }, clock.nowMs());
 * if (!result.ok) return sendError(result.code, result.message);
 * state = result.state; broadcast(result.events);
 */
export function applyAction(state: BattleState, action: BattleAction, nowMs: number): ApplyActionResult {
  const malformed = shapeProblem(state, action, nowMs);
  if (malformed !== null) return reject("INVALID_ACTION", malformed);
  const seat = seatOf(state, action.playerId);
  if (seat === -1) return reject("UNKNOWN_PLAYER");
  if (state.result !== null) return reject("BATTLE_OVER");
  if (action.type !== "concede") {
    if (seat !== state.activeIndex) return reject("NOT_YOUR_TURN");
    const expired = nowMs >= state.turnDeadlineMs;
    if (action.type === "turn_timeout" && !expired) return reject("TURN_NOT_EXPIRED");
    if (action.type !== "turn_timeout" && expired) return reject("TURN_EXPIRED");
  }

  const draft = draftOf(state);
  const player = draft.battle.players[seat];
  let refusal: Rejection | null = null;
  if (action.type === "play_card") refusal = playCard(draft, seat, action);
  else if (action.type === "attack") refusal = attack(draft, seat, action);
  else if (action.type === "end_turn") endTurn(draft, nowMs, "end_turn");
  else if (action.type === "turn_timeout") timeOutTurn(draft, nowMs);
  else endBattle(draft, { winnerId: draft.battle.players[otherSeat(seat)].playerId, reason: "concede" });
  if (refusal !== null) return refusal;

  if (action.type !== "turn_timeout" && action.type !== "concede") player.timeouts = 0;
  settle(draft);
  draft.battle.seq += 1;
  draft.battle.updatedAtMs = nowMs;
  return { ok: true, state: draft.battle, events: draft.events };
}

const actionTypes: ReadonlySet<string> = new Set(["play_card", "attack", "end_turn", "concede", "turn_timeout"]);

/** What is malformed about the action or the time (the socket's zod schema should catch it first). */
function shapeProblem(state: BattleState, action: BattleAction, nowMs: number): string | null {
  if (!Number.isFinite(nowMs) || nowMs < state.updatedAtMs) return "nowMs must be a finite time, not before the last action";
  if (typeof action !== "object" || action === null || !actionTypes.has(action.type)) return "unknown action type";
  if (typeof action.playerId !== "string") return "playerId must be a string";
  if (action.type === "play_card") {
    if (typeof action.cardId !== "string") return "cardId must be a string";
    if (action.target !== undefined && typeof action.target !== "string") return "target must be a string";
  }
  if (action.type === "attack" && (typeof action.attackerId !== "string" || typeof action.target !== "string")) {
    return "attackerId and target must be strings";
  }
  return null;
}

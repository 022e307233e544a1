import { sha256, stringToBytes, type Hex } from "viem";
import type { BattleAction } from "./actions.ts";
import { applyAction } from "./apply-action.ts";
import { createBattle, type CreateBattleParams } from "./create-battle.ts";
import { reject, type Rejection } from "./errors.ts";
import type { BattleEvent } from "./events.ts";
import { stableStringify } from "./stable-json.ts";
import type { BattleState } from "./state.ts";

/** One accepted action as the server stores it: the action and the game time it was applied at. */
export type LoggedAction = { action: BattleAction; nowMs: number };

export type ReplayResult =
  | { ok: true; state: BattleState; events: BattleEvent[] }
  | (Rejection & { /** Index in the log of the action that failed (-1: the battle itself). */ index: number });

/**
 * Rebuilds a battle from what the server stores: its creation parameters (with the seed) and its
 * accepted actions in order. The rules are deterministic, so the result equals the live state
 * (same `hashState`). A log action that is refused means the log is corrupt or was written under
 * other rules: REPLAY_MISMATCH with its index.
 *
 * @example
 * const replayed = replayBattle(row.params, row.actions);
 * if (replayed.ok && hashState(replayed.state) === row.finalHash) console.log("verified");
 */
export function replayBattle(params: CreateBattleParams, log: readonly LoggedAction[]): ReplayResult {
  const created = createBattle(params);
  if (!created.ok) return { ...created, index: -1 };
  let state = created.state;
  const events = [...created.events];
  for (const [index, entry] of log.entries()) {
    const result = applyAction(state, entry.action, entry.nowMs);
    if (!result.ok) return { ...reject("REPLAY_MISMATCH", `action ${index}: ${result.code}: ${result.message}`), index };
    state = result.state;
    events.push(...result.events);
  }
  return { ok: true, state, events };
}

/**
 * A fingerprint of the whole state (hidden parts included): SHA-256 of its stable JSON, as 0x hex.
 * Store it beside the log to check a replay, or let the players check the battle once its seed is
 * revealed. SHA-256 rather than keccak256: the hash never goes on chain, and viem's pure-JS SHA-256
 * is about nine times as fast, which the property tests (tens of thousands of hashes) feel.
 */
export function hashState(state: BattleState): Hex {
  return sha256(stringToBytes(stableStringify(state)));
}

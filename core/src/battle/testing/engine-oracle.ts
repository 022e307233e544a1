// The rules stated a second way, and the invariants every state must keep: the engine's property
// tests hold the engine to both.
import assert from "node:assert/strict";
import type { BattleAction } from "../actions.ts";
import type { BattleEvent } from "../events.ts";
import { legalActions } from "../legal-actions.ts";
import { battleRules } from "../rules.ts";
import type { BattleState } from "../state.ts";
import { redactEventFor, viewFor } from "../views.ts";
import { players, turnTimeMs } from "./random-battles.ts";

/** The rules stated a second way: whether `action` at `nowMs` must be accepted. */
export function mustAccept(state: BattleState, action: BattleAction, nowMs: number): boolean {
  if (nowMs < state.updatedAtMs || !["play_card", "attack", "end_turn", "concede", "turn_timeout"].includes(action.type)) return false;
  if (!players.includes(action.playerId as (typeof players)[number]) || state.result !== null) return false;
  if (action.type === "concede") return true;
  const active = state.players[state.activeIndex].playerId;
  if (action.playerId !== active) return false;
  if (action.type === "turn_timeout") return nowMs >= state.turnDeadlineMs;
  if (nowMs >= state.turnDeadlineMs) return false;
  const key = JSON.stringify(action);
  return legalActions(viewFor(state, active)).some((legal) => JSON.stringify(legal) === key);
}

export function checkInvariants(state: BattleState, initialIds: readonly ReadonlySet<string>[], accepted: number): void {
  assert.equal(state.seq, accepted);
  assert.ok(state.turn >= 1 && state.turn <= battleRules.turnCap);
  assert.equal(state.turnDeadlineMs, state.turnStartedAtMs + turnTimeMs);
  state.players.forEach((p, seat) => {
    // Conserved: every card of the deck list is in exactly one place, and no card appeared.
    const places = [p.deck, p.hand, p.board.map((u) => u.card), p.discard, p.burned];
    const initial = initialIds[seat] ?? new Set();
    const seen = new Set<string>();
    for (const place of places) for (const card of place) if (initial.has(card.id)) seen.add(card.id);
    assert.ok(seen.size === initial.size && places.reduce((n, place) => n + place.length, 0) === initial.size, "cards are conserved");
    assert.ok(p.mana >= 0 && p.mana <= p.maxMana && p.maxMana <= battleRules.maxMana, "mana within 0..maxMana..10");
    assert.ok(p.health <= battleRules.startingHealth, "health at most the start");
    assert.ok(p.hand.length <= battleRules.maxHandSize && p.board.length <= battleRules.maxBoardSize);
    for (const u of p.board) {
      assert.ok(u.health > 0 && u.health <= u.card.health, "units alive and not above their health");
      if (u.shield) assert.ok(u.card.abilities.some((a) => a.kind === "shield"));
    }
    assert.ok(p.timeouts < battleRules.maxConsecutiveTimeouts || state.result !== null);
  });
  if (state.result === null) {
    assert.ok(state.activeIndex === 0 || state.activeIndex === 1, "exactly one active player");
    assert.ok(state.players.every((p) => p.health > 0), "no fallen hero while the battle runs");
  }
}

/** Runs the steps, checking every one; returns the log of accepted actions and the final state. */

/**
 * Freezes every container of a state, so that any mutation by the next action throws. (Cards are
 * shared with the frozen parameters; deepFreeze on every state would spend its time on them.)
 */
export function freezeState(state: BattleState): BattleState {
  for (const p of state.players) {
    for (const list of [p.deck, p.hand, p.discard, p.burned, p.board]) Object.freeze(list);
    p.board.forEach((unit) => Object.freeze(unit));
    Object.freeze(p);
  }
  Object.freeze(state.players);
  Object.freeze(state.rng);
  if (state.result !== null) Object.freeze(state.result);
  return Object.freeze(state);
}

/** Neither the view nor the redacted events of a step show a player the other's hand or any deck card. */
export function checkSecrecy(state: BattleState, events: readonly BattleEvent[]): void {
  for (const viewer of players) {
    const hidden = state.players.flatMap((p) => [...p.deck, ...(p.playerId === viewer ? [] : p.hand)]).map((c) => JSON.stringify(c.id));
    // Every card id in this test has the form "p1:7:card": collect those shown in one pass.
    const shown = new Set(JSON.stringify([viewFor(state, viewer), events.map((e) => redactEventFor(e, viewer))]).match(/"p[12]:\d+:card"/g));
    assert.deepEqual(hidden.filter((id) => shown.has(id)), [], `hidden cards shown to ${viewer}`);
  }
}

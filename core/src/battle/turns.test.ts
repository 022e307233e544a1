import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BattleState } from "./state.ts";
import { battleRules } from "./rules.ts";
import { accept, alice, arranged, bob, eventsOf, newBattle, playerOf, refuse, t0, turnTimeMs, vanillaDeck } from "./testing/fixtures.ts";

const endTurn = (playerId: string) => ({ type: "end_turn" as const, playerId });
const timeout = (playerId: string) => ({ type: "turn_timeout" as const, playerId });
const activeId = (state: BattleState) => state.players[state.activeIndex].playerId;

/** Both players end their turns `rounds` times, starting with whoever is active. */
function passRounds(state: BattleState, rounds: number): BattleState {
  let s = state;
  for (let i = 0; i < rounds * 2; i++) s = accept(s, endTurn(activeId(s))).state;
  return s;
}

describe("turns", () => {
  it("passes the turn, grows the mana cap by one, refills mana and draws a card", () => {
    const start = newBattle();
    const second = activeId(start) === alice ? bob : alice;
    const { state, events } = accept(start, endTurn(activeId(start)));
    assert.equal(activeId(state), second);
    assert.equal(state.turn, 2);
    assert.deepEqual([playerOf(state, second).mana, playerOf(state, second).maxMana, playerOf(state, second).hand.length], [1, 1, 5]);
    assert.deepEqual(events.map((e) => e.type), ["turn_ended", "turn_started", "card_drawn"]);
  });

  it("caps mana at 10", () => {
    const state = passRounds(newBattle(), 12);
    for (const player of state.players) assert.equal(player.maxMana, battleRules.maxMana);
  });

  it("burns a card drawn into a full hand of 10", () => {
    const state = arranged({}, { hand: vanillaDeck("h", 10) });
    const { state: after, events } = accept(state, endTurn(alice));
    assert.equal(playerOf(after, bob).hand.length, 10);
    assert.equal(playerOf(after, bob).burned.length, 1);
    assert.equal(eventsOf(events, "card_burned")[0]?.playerId, bob);
  });

  it("deals growing fatigue damage, 1 then 2, for drawing from an empty deck", () => {
    const state = arranged({}, { deck: [] });
    const first = accept(state, endTurn(alice));
    assert.equal(playerOf(first.state, bob).health, 29);
    assert.deepEqual(eventsOf(first.events, "damage_dealt")[0], { type: "damage_dealt", target: { playerId: bob, unitId: null }, amount: 1, cause: "fatigue", sourceId: null });
    const second = passRounds(first.state, 1);
    assert.equal(playerOf(second, bob).health, 27);
  });

  it("ends the battle when fatigue kills the player starting its turn", () => {
    const { state } = accept(arranged({}, { deck: [], health: 1 }), endTurn(alice));
    assert.deepEqual(state.result, { winnerId: alice, reason: "hero_destroyed" });
  });

  it("ends the battle in a draw when the last turn (the turn cap) ends", () => {
    const last = { ...arranged(), turn: battleRules.turnCap - 1 };
    const { state: atCap } = accept(last, endTurn(alice));
    assert.equal(atCap.turn, battleRules.turnCap);
    assert.equal(atCap.result, null);
    const { state, events } = accept(atCap, endTurn(bob));
    assert.deepEqual(state.result, { winnerId: null, reason: "turn_cap" });
    assert.deepEqual(events.map((e) => e.type), ["turn_ended", "battle_ended"]);
  });
});

describe("the turn timer", () => {
  const deadline = t0 + turnTimeMs;

  it("refuses a timeout before the deadline with TURN_NOT_EXPIRED", () => {
    refuse(arranged(), timeout(alice), "TURN_NOT_EXPIRED", deadline - 1);
  });

  it("refuses a timeout for the player who is not active with NOT_YOUR_TURN", () => {
    refuse(arranged(), timeout(bob), "NOT_YOUR_TURN", deadline);
  });

  it("ends the turn at the deadline and restarts the timer for the next player", () => {
    const { state, events } = accept(arranged(), timeout(alice), deadline + 5);
    assert.equal(activeId(state), bob);
    assert.equal(state.turnDeadlineMs, deadline + 5 + turnTimeMs);
    assert.deepEqual(events[0], { type: "turn_ended", playerId: alice, turn: 3, reason: "timeout" });
  });

  it("refuses the player's own actions from the deadline on with TURN_EXPIRED, but not a concession", () => {
    refuse(arranged(), endTurn(alice), "TURN_EXPIRED", deadline);
    refuse(arranged(), { type: "attack", playerId: alice, attackerId: "x", target: "hero" }, "TURN_EXPIRED", deadline);
    accept(arranged(), { type: "concede", playerId: alice }, deadline);
  });

  it("makes the third timeout in a row lose the battle as idle", () => {
    let state = arranged();
    for (let i = 0; i < 2; i++) {
      state = accept(state, timeout(alice), state.turnDeadlineMs).state;
      state = accept(state, endTurn(bob)).state;
    }
    const { state: after } = accept(state, timeout(alice), state.turnDeadlineMs);
    assert.deepEqual(after.result, { winnerId: bob, reason: "idle" });
  });

  it("forgives earlier timeouts once the player acts", () => {
    let state = arranged();
    state = accept(state, timeout(alice), state.turnDeadlineMs).state;
    state = accept(state, endTurn(bob)).state;
    state = accept(state, endTurn(alice)).state;
    assert.equal(playerOf(state, alice).timeouts, 0);
  });

  it("refuses a time before the last action with INVALID_ACTION", () => {
    refuse(arranged(), endTurn(alice), "INVALID_ACTION", t0 - 1);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accept, alice, arranged, bob, eventsOf, onBoard, playerOf, refuse, unit } from "./testing/fixtures.ts";

const wolf = unit("wolf", { attack: 3, health: 2 });
const bear = unit("bear", { attack: 2, health: 5 });
const wall = unit("wall", { attack: 0, health: 6, abilities: [{ kind: "taunt" }] });
const hit = (attackerId: string, target: string) => ({ type: "attack" as const, playerId: alice, attackerId, target });

describe("attacking", () => {
  it("damages the enemy hero, which does not strike back", () => {
    const { state, events } = accept(arranged({ board: [onBoard(wolf)] }), hit("wolf", "hero"));
    assert.equal(playerOf(state, bob).health, 27);
    assert.equal(playerOf(state, alice).board[0]?.health, 2);
    assert.deepEqual(eventsOf(events, "unit_attacked")[0], { type: "unit_attacked", playerId: alice, attackerId: "wolf", target: { playerId: bob, unitId: null } });
  });

  it("makes attacker and defender strike each other at once", () => {
    const { state, events } = accept(arranged({ board: [onBoard(wolf)] }, { board: [onBoard(bear)] }), hit("wolf", "bear"));
    assert.deepEqual(playerOf(state, bob).board.map((u) => u.health), [2]);
    assert.deepEqual(playerOf(state, alice).board, []);
    assert.deepEqual(playerOf(state, alice).discard, [wolf]);
    assert.deepEqual(eventsOf(events, "unit_died").map((e) => e.unitId), ["wolf"]);
  });

  it("lets a shield absorb the first hit", () => {
    const knight = unit("knight", { attack: 1, health: 1, abilities: [{ kind: "shield" }] });
    const { state } = accept(arranged({ board: [onBoard(knight)] }, { board: [onBoard(bear)] }), hit("knight", "bear"));
    assert.deepEqual(playerOf(state, alice).board.map((u) => [u.health, u.shield]), [[1, false]]);
    assert.equal(playerOf(state, bob).board[0]?.health, 4);
  });

  it("refuses a unit played this turn with UNIT_CANNOT_ATTACK, unless it has charge", () => {
    refuse(arranged({ board: [onBoard(wolf, { summonedOnTurn: 3 })] }), hit("wolf", "hero"), "UNIT_CANNOT_ATTACK");
    const raider = unit("raider", { attack: 2, abilities: [{ kind: "charge" }] });
    accept(arranged({ board: [onBoard(raider, { summonedOnTurn: 3 })] }), hit("raider", "hero"));
  });

  it("refuses a unit with 0 attack with UNIT_CANNOT_ATTACK", () => {
    refuse(arranged({ board: [onBoard(wall)] }), hit("wall", "hero"), "UNIT_CANNOT_ATTACK");
  });

  it("lets each unit attack once per turn (UNIT_ALREADY_ATTACKED), again on its next turn", () => {
    const { state } = accept(arranged({ board: [onBoard(bear)] }), hit("bear", "hero"));
    refuse(state, hit("bear", "hero"), "UNIT_ALREADY_ATTACKED");
    const bobsTurn = accept(state, { type: "end_turn", playerId: alice }).state;
    const alicesTurn = accept(bobsTurn, { type: "end_turn", playerId: bob }).state;
    accept(alicesTurn, hit("bear", "hero"));
  });

  it("refuses an attacker that is not on the player's board with UNIT_NOT_FOUND", () => {
    refuse(arranged({}, { board: [onBoard(wolf)] }), hit("wolf", "hero"), "UNIT_NOT_FOUND");
    refuse(arranged(), hit("ghost", "hero"), "UNIT_NOT_FOUND");
  });

  it("refuses an own unit, the own hero or nothing as target with INVALID_TARGET", () => {
    const state = arranged({ board: [onBoard(wolf), onBoard(bear)] });
    refuse(state, hit("wolf", "bear"), "INVALID_TARGET");
    refuse(state, hit("wolf", "own_hero"), "INVALID_TARGET");
    refuse(state, hit("wolf", "nobody"), "INVALID_TARGET");
  });

  it("makes a taunt unit the only target while it stands (MUST_ATTACK_TAUNT)", () => {
    const state = arranged({ board: [onBoard(wolf)] }, { board: [onBoard(bear), onBoard(wall)] });
    refuse(state, hit("wolf", "hero"), "MUST_ATTACK_TAUNT");
    refuse(state, hit("wolf", "bear"), "MUST_ATTACK_TAUNT");
    const { state: after } = accept(state, hit("wolf", "wall"));
    assert.equal(playerOf(after, bob).board.find((u) => u.card.id === "wall")?.health, 3);
  });

  it("wins the battle when the enemy hero falls", () => {
    const { state, events } = accept(arranged({ board: [onBoard(wolf)] }, { health: 3 }), hit("wolf", "hero"));
    assert.deepEqual(state.result, { winnerId: alice, reason: "hero_destroyed" });
    assert.deepEqual(events.at(-1), { type: "battle_ended", winnerId: alice, reason: "hero_destroyed" });
    refuse(state, { type: "end_turn", playerId: alice }, "BATTLE_OVER");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BattleAction } from "./actions.ts";
import { applyAction } from "./apply-action.ts";
import { createBattle } from "./create-battle.ts";
import { battleErrors, type BattleErrorCode } from "./errors.ts";
import { replayBattle } from "./replay.ts";
import { accept, alice, arranged, battleParams, bob, deepFreeze, onBoard, playerOf, refuse, spell, t0, turnTimeMs, unit, vanillaDeck } from "./testing/fixtures.ts";

const ogre = unit("ogre", { cost: 4, attack: 4, health: 5 });
const wolf = unit("wolf", { attack: 3, health: 2 });
const wall = unit("wall", { attack: 0, health: 6, abilities: [{ kind: "taunt" }] });
const bolt = spell("bolt", [{ kind: "damage", amount: 3 }], 2);
const play = (cardId: string, target?: string): BattleAction => (target === undefined ? { type: "play_card", playerId: alice, cardId } : { type: "play_card", playerId: alice, cardId, target });
const hit = (attackerId: string, target: string): BattleAction => ({ type: "attack", playerId: alice, attackerId, target });

/** One scenario per refusal code: the state, the action, the time (default: the last action's). */
const scenarios: Record<BattleErrorCode, () => BattleErrorCode> = {
  INVALID_ACTION: () => codeOf(arranged(), { type: "dance", playerId: alice } as unknown as BattleAction),
  INVALID_BATTLE: () => creationCode(battleParams({ seed: "" })),
  INVALID_DECK: () => creationCode(battleParams({ players: [{ playerId: alice, deck: vanillaDeck("a", 5) }, { playerId: bob, deck: vanillaDeck("b") }] })),
  UNKNOWN_PLAYER: () => codeOf(arranged(), { type: "end_turn", playerId: "mallory" }),
  BATTLE_OVER: () => codeOf({ ...arranged(), result: { winnerId: bob, reason: "concede" } }, { type: "end_turn", playerId: alice }),
  NOT_YOUR_TURN: () => codeOf(arranged(), { type: "end_turn", playerId: bob }),
  TURN_EXPIRED: () => codeOf(arranged(), { type: "end_turn", playerId: alice }, t0 + turnTimeMs),
  TURN_NOT_EXPIRED: () => codeOf(arranged(), { type: "turn_timeout", playerId: alice }),
  CARD_NOT_IN_HAND: () => codeOf(arranged({ hand: [] }), play("ogre")),
  NOT_ENOUGH_MANA: () => codeOf(arranged({ hand: [ogre], mana: 3 }), play("ogre")),
  BOARD_FULL: () => codeOf(arranged({ hand: [ogre], mana: 4, board: vanillaDeck("x", 7).map((c) => onBoard(c)) }), play("ogre")),
  INVALID_TARGET: () => codeOf(arranged({ hand: [bolt], mana: 2 }), play("bolt", "own_hero")),
  UNIT_NOT_FOUND: () => codeOf(arranged(), hit("ghost", "hero")),
  UNIT_CANNOT_ATTACK: () => codeOf(arranged({ board: [onBoard(wolf, { summonedOnTurn: 3 })] }), hit("wolf", "hero")),
  UNIT_ALREADY_ATTACKED: () => codeOf(arranged({ board: [onBoard(wolf, { lastAttackTurn: 3 })] }), hit("wolf", "hero")),
  MUST_ATTACK_TAUNT: () => codeOf(arranged({ board: [onBoard(wolf)] }, { board: [onBoard(wall)] }), hit("wolf", "hero")),
  REPLAY_MISMATCH: () => {
    const replayed = replayBattle(battleParams(), [{ action: { type: "end_turn", playerId: "mallory" }, nowMs: t0 }]);
    return replayed.ok ? ("accepted" as BattleErrorCode) : replayed.code;
  },
};

function codeOf(state: Parameters<typeof applyAction>[0], action: BattleAction, nowMs = state.updatedAtMs): BattleErrorCode {
  const result = applyAction(state, action, nowMs);
  return result.ok ? ("accepted" as BattleErrorCode) : result.code;
}

function creationCode(params: ReturnType<typeof battleParams>): BattleErrorCode {
  const created = createBattle(params);
  return created.ok ? ("accepted" as BattleErrorCode) : created.code;
}

describe("applyAction", () => {
  for (const code of Object.keys(battleErrors) as BattleErrorCode[]) {
    it(`refuses with ${code} where the rules say so`, () => {
      assert.equal(scenarios[code](), code);
    });
  }

  it("never changes the state it is given, whether it accepts or refuses", () => {
    const state = deepFreeze(arranged({ hand: [ogre, bolt], mana: 10, board: [onBoard(wolf)] }, { board: [onBoard(unit("rat"))] }));
    const snapshot = structuredClone(state);
    accept(state, play("ogre"));
    accept(state, play("bolt", "rat"));
    accept(state, hit("wolf", "rat"));
    accept(state, { type: "end_turn", playerId: alice });
    refuse(state, play("ghost"), "CARD_NOT_IN_HAND");
    assert.deepEqual(state, snapshot);
  });

  it("counts accepted actions in seq and records their time", () => {
    const state = arranged();
    const { state: after } = accept(state, { type: "end_turn", playerId: alice }, t0 + 10);
    assert.equal(after.seq, state.seq + 1);
    assert.equal(after.updatedAtMs, t0 + 10);
  });

  it("lets either player concede at any time, and the other wins", () => {
    const { state, events } = accept(arranged(), { type: "concede", playerId: bob });
    assert.deepEqual(state.result, { winnerId: alice, reason: "concede" });
    assert.deepEqual(events, [{ type: "battle_ended", winnerId: alice, reason: "concede" }]);
  });

  it("calls a draw when both heroes fall in the same action", () => {
    const lastWord = spell("last-word", [{ kind: "damage", amount: 5 }, { kind: "draw", amount: 1 }]);
    const state = arranged({ hand: [lastWord], mana: 1, deck: [], health: 1 }, { health: 5 });
    const { state: after } = accept(state, play("last-word", "hero"));
    assert.deepEqual(after.result, { winnerId: null, reason: "hero_destroyed" });
    assert.ok(playerOf(after, alice).health <= 0 && playerOf(after, bob).health <= 0);
  });
});

// Named fixtures for the battle tests: small card builders, valid decks and a way to arrange an
// exact position without playing up to it.
import assert from "node:assert/strict";
import type { BattleAction } from "../actions.ts";
import { applyAction } from "../apply-action.ts";
import type { Ability, CardDef } from "../cards.ts";
import { createBattle, type CreateBattleParams } from "../create-battle.ts";
import type { BattleEvent } from "../events.ts";
import type { BattleState, BoardUnit, PlayerState } from "../state.ts";

export const alice = "alice";
export const bob = "bob";
export const t0 = 1_000_000;
export const turnTimeMs = 60_000;

/** A unit card; `id` doubles as cardKey unless given. */
export function unit(id: string, stats: { cost?: number; attack?: number; health?: number; abilities?: Ability[]; cardKey?: string } = {}): CardDef {
  return { id, cardKey: stats.cardKey ?? id, kind: "unit", cost: stats.cost ?? 1, attack: stats.attack ?? 1, health: stats.health ?? 2, abilities: stats.abilities ?? [] };
}

export function spell(id: string, abilities: Ability[], cost = 1): CardDef {
  return { id, cardKey: id, kind: "spell", cost, attack: 0, health: 0, abilities };
}

/** A valid deck of `size` plain units with ids `${prefix}-0`..; three copies per cardKey. */
export function vanillaDeck(prefix: string, size = 20): CardDef[] {
  return Array.from({ length: size }, (_, i) => unit(`${prefix}-${i}`, { cardKey: `${prefix}-key-${Math.floor(i / 3)}`, cost: 1 + (i % 5), attack: 1 + (i % 4), health: 1 + (i % 6) }));
}

export function battleParams(overrides: Partial<CreateBattleParams> = {}): CreateBattleParams {
  return {
    battleId: "battle-1",
    seed: "seed-1",
    players: [{ playerId: alice, deck: vanillaDeck("a") }, { playerId: bob, deck: vanillaDeck("b") }],
    startedAtMs: t0,
    turnTimeMs,
    ...overrides,
  };
}

/** A fresh battle; fails the test when creation is refused. */
export function newBattle(overrides: Partial<CreateBattleParams> = {}): BattleState {
  const created = createBattle(battleParams(overrides));
  assert.ok(created.ok, created.ok ? "" : created.message);
  return created.state;
}

/**
 * The battle with `alice` to move on turn 3 (so units placed with summonedOnTurn 1 may attack),
 * both players changed by `a` and `b`, e.g. `{ hand: [card], mana: 5 }`.
 */
export function arranged(a: Partial<PlayerState> = {}, b: Partial<PlayerState> = {}, base = newBattle()): BattleState {
  const aliceSeat = base.players[0].playerId === alice ? 0 : 1;
  const edit = (player: PlayerState) => ({ ...player, ...(player.playerId === alice ? a : b) });
  return { ...base, players: [edit(base.players[0]), edit(base.players[1])], activeIndex: aliceSeat, turn: 3 };
}

/** A unit on the board, ready to attack on turn 3. */
export function onBoard(card: CardDef, extra: Partial<BoardUnit> = {}): BoardUnit {
  return { card, health: card.health, shield: card.abilities.some((ab) => ab.kind === "shield"), summonedOnTurn: 1, lastAttackTurn: 0, ...extra };
}

export function playerOf(state: BattleState, playerId: string): PlayerState {
  const player = state.players.find((p) => p.playerId === playerId);
  assert.ok(player, `no player ${playerId}`);
  return player;
}

/** Applies an action that must be accepted (at `nowMs`, default the turn start) and returns the outcome. */
export function accept(state: BattleState, action: BattleAction, nowMs = state.updatedAtMs): { state: BattleState; events: BattleEvent[] } {
  const result = applyAction(state, action, nowMs);
  assert.ok(result.ok, result.ok ? "" : `${result.code}: ${result.message}`);
  return { state: result.state, events: result.events };
}

/** Asserts the action is refused with `code` and returns nothing. */
export function refuse(state: BattleState, action: BattleAction, code: string, nowMs = state.updatedAtMs): void {
  const result = applyAction(state, action, nowMs);
  assert.equal(result.ok, false, `expected ${code}, the action was accepted`);
  if (!result.ok) assert.equal(result.code, code, result.message);
}

/** Freezes `value` and everything in it, so that any mutation throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The events of one type. */
export function eventsOf<K extends BattleEvent["type"]>(events: readonly BattleEvent[], type: K): Extract<BattleEvent, { type: K }>[] {
  return events.filter((e): e is Extract<BattleEvent, { type: K }> => e.type === type);
}

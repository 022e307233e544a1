import type { CardDef } from "./cards.ts";
import type { BattleEvent } from "./events.ts";
import type { BattleResult, BattleState, BoardUnit, PlayerState } from "./state.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type DraftUnit = Mutable<BoardUnit>;
export type DraftPlayer = Mutable<Omit<PlayerState, "deck" | "hand" | "board" | "discard" | "burned">> & {
  deck: CardDef[];
  hand: CardDef[];
  board: DraftUnit[];
  discard: CardDef[];
  burned: CardDef[];
};
export type DraftBattle = Mutable<Omit<BattleState, "players">> & { players: [DraftPlayer, DraftPlayer] };

/**
 * The working copy an action edits, with the events it emits. Only the engine's own files see a
 * draft; they edit it freely and hand it back as a new `BattleState`.
 */
export type Draft = { battle: DraftBattle; events: BattleEvent[] };

/**
 * A copy of `state` that may be edited without touching `state`. Cards are immutable and shared;
 * every container and unit is copied. (Cheaper than structuredClone, which matters for the
 * property tests that run hundreds of thousands of actions.)
 */
export function draftOf(state: BattleState): Draft {
  const [p0, p1] = state.players;
  return { battle: { ...state, players: [draftPlayer(p0), draftPlayer(p1)] }, events: [] };
}

function draftPlayer(player: PlayerState): DraftPlayer {
  return {
    ...player,
    deck: [...player.deck],
    hand: [...player.hand],
    board: player.board.map((unit) => ({ ...unit })),
    discard: [...player.discard],
    burned: [...player.burned],
  };
}

/** The seat that is not `seat`. */
export function otherSeat(seat: 0 | 1): 0 | 1 {
  return seat === 0 ? 1 : 0;
}

/** Ends the battle with `result` (once) and records it. */
export function endBattle(draft: Draft, result: BattleResult): void {
  if (draft.battle.result !== null) return;
  draft.battle.result = result;
  draft.events.push({ type: "battle_ended", winnerId: result.winnerId, reason: result.reason });
}

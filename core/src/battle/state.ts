import type { CardDef } from "./cards.ts";
import type { RngState } from "./random.ts";

/** A unit on the board. Its id is the id of the card that summoned it. */
export type BoardUnit = {
  readonly card: CardDef;
  readonly health: number;
  /** Whether its shield still stands (only units with the shield ability start with one). */
  readonly shield: boolean;
  /** The battle turn it was played on: it may attack from a later turn (or at once with charge). */
  readonly summonedOnTurn: number;
  /** The last battle turn it attacked on (0 = never): a unit attacks once per turn. */
  readonly lastAttackTurn: number;
};

/**
 * One side of the battle. `deck` is in draw order (index 0 is drawn next) and, like `hand`, is
 * private: only `viewFor` decides who sees what. Every card of the deck list is in exactly one of
 * deck, hand, board, discard (played spells, dead units) and burned (drawn into a full hand).
 */
export type PlayerState = {
  readonly playerId: string;
  readonly health: number;
  readonly mana: number;
  readonly maxMana: number;
  readonly deck: readonly CardDef[];
  readonly hand: readonly CardDef[];
  readonly board: readonly BoardUnit[];
  readonly discard: readonly CardDef[];
  readonly burned: readonly CardDef[];
  /** Damage of the next draw from an empty deck minus one (0 until the deck runs out). */
  readonly fatigue: number;
  /** Turns in a row ended by the timer (reset by any own action). */
  readonly timeouts: number;
};

export type BattleEndReason = "hero_destroyed" | "concede" | "turn_cap" | "idle";

/** How a battle ended: the winner's id, or null for a draw. */
export type BattleResult = { readonly winnerId: string | null; readonly reason: BattleEndReason };

/**
 * The whole, server-only state of a battle: plain JSON data. Nothing in it is ever mutated; the
 * engine returns new states. It holds hidden information (deck order, hands, the generator), so it
 * never leaves the server: send `viewFor(state, playerId)` instead.
 */
export type BattleState = {
  readonly rulesVersion: number;
  readonly battleId: string;
  readonly players: readonly [PlayerState, PlayerState];
  /** Seat (0 or 1) of the player whose turn it is; when the battle is over, of the last one. */
  readonly activeIndex: 0 | 1;
  /** Turns started so far, counting both players (the first turn is 1). */
  readonly turn: number;
  readonly turnTimeMs: number;
  readonly turnStartedAtMs: number;
  readonly turnDeadlineMs: number;
  /** Game time of the last accepted action (or of the start): time never runs backwards. */
  readonly updatedAtMs: number;
  /** Accepted actions so far: the sequence number of the next one to store. */
  readonly seq: number;
  readonly result: BattleResult | null;
  readonly rng: RngState;
};

/** The seat of `playerId`, or -1. */
export function seatOf(state: BattleState, playerId: string): 0 | 1 | -1 {
  if (state.players[0].playerId === playerId) return 0;
  if (state.players[1].playerId === playerId) return 1;
  return -1;
}

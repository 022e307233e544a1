import type { CardDef } from "./cards.ts";
import type { BattleEvent } from "./events.ts";
import { seatOf, type BattleResult, type BattleState, type BoardUnit, type PlayerState } from "./state.ts";

/** What anyone may know of a player: everything on the table, and only counts of hand and deck. */
export type PublicPlayerView = {
  playerId: string;
  health: number;
  mana: number;
  maxMana: number;
  handCount: number;
  deckCount: number;
  board: readonly BoardUnit[];
  discard: readonly CardDef[];
  burned: readonly CardDef[];
  fatigue: number;
  timeouts: number;
};

/** The viewer's own side: the public side plus its hand (never its deck order). */
export type OwnPlayerView = PublicPlayerView & { hand: readonly CardDef[] };

/** The battle as one player may see it; safe to send to that player as JSON. */
export type BattleView = {
  battleId: string;
  rulesVersion: number;
  seq: number;
  turn: number;
  activePlayerId: string;
  turnStartedAtMs: number;
  turnDeadlineMs: number;
  result: BattleResult | null;
  you: OwnPlayerView;
  opponent: PublicPlayerView;
};

/**
 * The state as `playerId` may see it: its own hand; the opponent's hand and both decks as counts
 * only; the board, discards and burned cards in full. The generator state is never shown.
 * Throws RangeError for someone who is not in the battle (the server decides who is; spectators
 * would need a view of their own).
 *
 * @example
 * socket.send(JSON.stringify({ type: "state", view: viewFor(state, session.playerId) }));
 */
export function viewFor(state: BattleState, playerId: string): BattleView {
  return framedView(state, playerId, (me) => ({ ...publicSide(me), hand: [...me.hand] }), publicSide);
}

/**
 * A view's frame for `playerId` (the battle's public fields), its sides made by `own` (the viewer's)
 * and `other`: `viewFor` and `compactViewFor` differ only in their sides. Throws RangeError for
 * someone who is not in the battle.
 */
export function framedView<Own, Other>(state: BattleState, playerId: string, own: (player: PlayerState) => Own, other: (player: PlayerState) => Other) {
  const seat = seatOf(state, playerId);
  if (seat === -1) throw new RangeError(`${playerId} is not in battle ${state.battleId}`);
  return {
    battleId: state.battleId,
    rulesVersion: state.rulesVersion,
    seq: state.seq,
    turn: state.turn,
    activePlayerId: state.players[state.activeIndex].playerId,
    turnStartedAtMs: state.turnStartedAtMs,
    turnDeadlineMs: state.turnDeadlineMs,
    result: state.result,
    you: own(state.players[seat]),
    opponent: other(state.players[seat === 0 ? 1 : 0]),
  };
}

function publicSide(player: PlayerState): PublicPlayerView {
  return { ...sideFigures(player), board: player.board.map((unit) => ({ ...unit })), discard: [...player.discard], burned: [...player.burned] };
}

/** What anyone may know of a player besides its cards: health, mana, the counts of hand and deck. */
export function sideFigures(player: PlayerState): Omit<PublicPlayerView, "board" | "discard" | "burned"> {
  return {
    playerId: player.playerId,
    health: player.health,
    mana: player.mana,
    maxMana: player.maxMana,
    handCount: player.hand.length,
    deckCount: player.deck.length,
    fatigue: player.fatigue,
    timeouts: player.timeouts,
  };
}

/**
 * The event as `playerId` may see it: a drawn card is shown only to its drawer (the others learn
 * that a card was drawn). Every other event is public.
 */
export function redactEventFor(event: BattleEvent, playerId: string): BattleEvent {
  if (event.type === "card_drawn" && event.playerId !== playerId) return { ...event, card: null };
  return event;
}

import type { CardDef } from "./cards.ts";
import type { BattleEvent } from "./events.ts";
import { seatOf, type BattleState, type PlayerState } from "./state.ts";
import { framedView, sideFigures, type BattleView, type PublicPlayerView } from "./views.ts";

// The form a view takes on the wire: every card by its id, with each card's definition sent once
// (see docs/protocol.md, "Cards by id"). A view with whole cards grows with the discard pile to
// ~3.5 KB, and a battle sends two after every action; by id it stays under ~1.5 KB.

/** A unit on the board: its card (`id`, see `cards`) and how it stands now. */
export type CompactUnit = { id: string; health: number; shield: boolean; summonedOnTurn: number; lastAttackTurn: number };

export type CompactPublicPlayerView = ReturnType<typeof sideFigures> & {
  board: CompactUnit[];
  discard: string[];
  burned: string[];
};

export type CompactOwnPlayerView = CompactPublicPlayerView & { hand: string[] };

/** `BattleView` with cards by id. */
export type CompactBattleView = Omit<BattleView, "you" | "opponent"> & { you: CompactOwnPlayerView; opponent: CompactPublicPlayerView };

/**
 * The view `playerId` may see (as `viewFor`), with cards by id. Built straight from the state: the
 * server sends two of these after every action. Throws RangeError for someone not in the battle.
 */
export function compactViewFor(state: BattleState, playerId: string): CompactBattleView {
  return framedView(state, playerId, (me) => ({ ...compactSide(me), hand: me.hand.map(idOf) }), compactSide);
}

const idOf = (card: CardDef) => card.id;

function compactSide(player: PlayerState): CompactPublicPlayerView {
  return {
    ...sideFigures(player),
    board: player.board.map((unit) => ({ id: unit.card.id, health: unit.health, shield: unit.shield, summonedOnTurn: unit.summonedOnTurn, lastAttackTurn: unit.lastAttackTurn })),
    discard: player.discard.map(idOf),
    burned: player.burned.map(idOf),
  };
}

/**
 * The definitions of every card in `playerId`'s view, in view order (its hand, then each side's
 * board, discard and burned cards): what a snapshot (`battle.started`, `battle.state`) carries,
 * so that a client that knows nothing yet can read the view. Never a card of a deck or of the
 * opponent's hand.
 */
export function cardsInViewOf(state: BattleState, playerId: string): CardDef[] {
  const seat = seatOf(state, playerId);
  if (seat === -1) throw new RangeError(`${playerId} is not in battle ${state.battleId}`);
  const me = state.players[seat];
  const sides = seat === 0 ? state.players : [state.players[1], state.players[0]];
  return [...me.hand, ...sides.flatMap((side) => [...side.board.map((unit) => unit.card), ...side.discard, ...side.burned])];
}

/** What `battle.started` and `battle.state` carry for `playerId`: the view, and every card in it. */
export function snapshotFor(state: BattleState, playerId: string): { view: CompactBattleView; cards: CardDef[] } {
  return { view: compactViewFor(state, playerId), cards: cardsInViewOf(state, playerId) };
}

/**
 * The cards that `events` (as sent to one player: redacted) show whole: drawn (own draws only),
 * burned and played cards. With these and the last snapshot's cards, a client can read every view
 * that follows, since a card reaches a view only through one of these events.
 */
export function cardsShownBy(events: readonly BattleEvent[]): CardDef[] {
  const cards: CardDef[] = [];
  for (const event of events) {
    if ((event.type === "card_drawn" || event.type === "card_burned" || event.type === "card_played") && event.card !== null) cards.push(event.card);
  }
  return cards;
}

/** A card id of a view whose definition the client was never sent: ask for a snapshot (`battle.resume`). */
export class UnknownCardError extends Error {
  readonly cardId: string;
  constructor(cardId: string) {
    super(`card ${cardId} is in the view but its definition was never received`);
    this.name = "UnknownCardError";
    this.cardId = cardId;
  }
}

/**
 * The view with whole cards again, from the card definitions a client has collected for this battle
 * (snapshot `cards` and `cardsShownBy` of each `battle.events`). Throws UnknownCardError when a
 * card is missing from `cards`.
 *
 * @example
 * const cards = new Map(started.cards.map((card) => [card.id, card]));
 * let view = started.view;
 * // on battle.events (see applyViewChanges for the check of baseSeq):
 * for (const card of cardsShownBy(message.events)) cards.set(card.id, card);
 * view = applyViewChanges(view, message.changes);
 * const whole = expandView(view, cards);
 */
export function expandView(view: CompactBattleView, cards: ReadonlyMap<string, CardDef>): BattleView {
  const card = (id: string) => {
    const found = cards.get(id);
    if (found === undefined) throw new UnknownCardError(id);
    return found;
  };
  const side = (player: CompactPublicPlayerView): PublicPlayerView => ({
    ...player,
    board: player.board.map(({ id, ...unit }) => ({ card: card(id), ...unit })),
    discard: player.discard.map(card),
    burned: player.burned.map(card),
  });
  return { ...view, you: { ...side(view.you), hand: view.you.hand.map(card) }, opponent: side(view.opponent) };
}

import { LRUCache } from "lru-cache";
import type pg from "pg";
import { mapWithConcurrency } from "@harvest/core/async/map-with-concurrency";
import type { CardDef } from "@harvest/core/battle/cards";
import { validateDeck } from "@harvest/core/battle/deck";
import { deckPower } from "@harvest/core/battle/deck-power";
import { AppError } from "@harvest/core/errors/error-codes";
import { MAX_DECKS_PER_PLAYER, type DeckBody, type DeckDetailBody } from "@harvest/core/protocol/deck-schemas";
import { cardBody } from "../farm/crafting-service.ts";
import { appendEvents } from "../outbox.ts";
import type { OwnershipReader } from "../ownership/ownership-reader.ts";
import { withTransaction } from "../pool.ts";
import { createCardDefinitions, type CardDefinitions } from "./card-definitions.ts";
import { unusableCardIds, usableMintedCardIds, type CardUser } from "./card-usability.ts";
import { countDecks, deleteDeck, findDeck, findDecksWithHoldings, insertDeck, isUniqueViolation, listDecks, loadDeckCards, updateDeck, type CardHolding, type DeckRow, type DeckWithHoldings } from "./deck-store.ts";
import { claimStarterPackOn } from "./starter-pack.ts";

export type DeckServiceOptions = {
  pool: pg.Pool;
  /** The chain's word on minted cards (the ownership module); only `usableTokens` is asked. */
  ownership: Pick<OwnershipReader, "usableTokens">;
  /** Most decks a player may keep (default {@link MAX_DECKS_PER_PLAYER}). */
  maxDecksPerPlayer?: number;
  /** Where card definitions are kept between checks (default: a cache of this service's own). */
  definitions?: CardDefinitions;
};

/** Decks whose last accepted check a service keeps (lastCheck): a few hundred bytes each. */
const LAST_CHECKS_KEPT = 50_000;

/** Decks of one resolveDecksForMatch that may ask the ownership module at once. */
const OWNERSHIP_CHECKS_AT_ONCE = 4;

/** A deck ready for a match: its cards as the engine plays them, pinned for that match. */
export type MatchDeck = { deckId: string; cards: CardDef[]; power: number };

function deckBody(row: DeckRow, cards: readonly CardDef[]): DeckBody {
  return { id: row.id, name: row.name, cardIds: row.card_ids, power: deckPower(cards), createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}

/**
 * Decks: list, read, create, rename or re-card, delete, all of the actor's own (another player's deck
 * is NOT_FOUND, never readable or changeable). A deck is saved only when every card is one the player
 * may use now (off-chain cards it holds; minted cards it owns and has not rented out, or rents) and the
 * deck rules accept it; it is checked again when a match starts ({@link resolveDeckForMatch}).
 *
 * @example
 * const decks = createDeckService({ pool, ownership });
 * const deck = await decks.create(actor, { name: "Rush", cardIds });
 * const { cards, power } = await decks.resolveDeckForMatch(actor, deck.id);
 */
export function createDeckService({ pool, ownership, maxDecksPerPlayer = MAX_DECKS_PER_PLAYER, definitions = createCardDefinitions() }: DeckServiceOptions) {
  /** Decks of off-chain cards only that a match check accepted, as they were then: see lastCheck. */
  const lastChecks = new LRUCache<string, { playerId: string; cardIds: readonly string[]; power: number }>({ max: LAST_CHECKS_KEPT });

  /**
   * The deck's cards (in deck order, as the engine plays them) if the player may use every one now
   * and the deck rules accept them; else a RULE_VIOLATION. `holdings`: the cards' rows as read
   * already; else they are read on `client`.
   */
  async function checkedCards(client: Pick<pg.ClientBase, "query">, actor: CardUser, cardIds: readonly string[], holdings?: readonly CardHolding[]): Promise<CardDef[]> {
    let rows = holdings;
    if (rows === undefined) {
      const read = await loadDeckCards(client, cardIds);
      definitions.remember(read);
      rows = read;
    }
    const refused = unusableCardIds(cardIds, rows, actor.playerId, await usableMintedCardIds(ownership, actor.address, rows));
    if (refused.length > 0) {
      throw new AppError("RULE_VIOLATION", "Some cards are not yours to use now (sold, rented out, or never yours).", { details: { reason: "CARDS_NOT_USABLE", cardIds: refused } });
    }
    const cards = await definitions.of(client, cardIds);
    const checked = validateDeck(cards);
    if (!checked.ok) throw new AppError("RULE_VIOLATION", `The deck breaks the deck rules: ${checked.message}.`, { details: { reason: "INVALID_DECK", message: checked.message } });
    return cards;
  }

  async function cardsOf(rows: readonly DeckRow[]): Promise<CardDef[][]> {
    // One read for the definitions of every deck's cards; then each deck's are at hand.
    await definitions.of(pool, rows.flatMap((row) => row.card_ids));
    return Promise.all(rows.map((row) => definitions.of(pool, row.card_ids)));
  }

  /** Runs a write, turning a second deck of the same name into a CONFLICT. */
  async function write<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      return await withTransaction(pool, work);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", "You have a deck of that name already.", { details: { reason: "DUPLICATE_NAME" }, cause: error });
      throw error;
    }
  }

  const notFound = (deckId: string) => new AppError("NOT_FOUND", "You have no such deck.", { details: { deckId } });

  /**
   * The deck for a match that starts now: every card is checked again (a card sold or rented out
   * since the deck was saved is refused with RULE_VIOLATION `CARDS_NOT_USABLE` naming it), and the
   * deck rules once more. The cards returned are the ones the match plays with.
   */
  async function resolveDeckForMatch(actor: CardUser, deckId: string): Promise<MatchDeck> {
    const [deck] = await resolveDecksForMatch([{ actor, deckId }]);
    if (deck instanceof Error) throw deck;
    return deck!;
  }

  /**
   * {@link resolveDeckForMatch} for many decks at once, with one read of the database for all of them
   * (a matchmaking tick checks every queued pair's decks): a list in the order given, where each deck
   * is its MatchDeck or the error that refuses it.
   */
  async function resolveDecksForMatch(entries: readonly { actor: CardUser; deckId: string }[]): Promise<(MatchDeck | Error)[]> {
    const found = await findDecksWithHoldings(pool, entries.map(({ actor, deckId }) => ({ playerId: actor.playerId, deckId })));
    // The definitions of every card not yet known, in one read (all of them, in a new process's first tick).
    await definitions.of(pool, found.flatMap((entry) => entry?.deck.card_ids ?? []));
    // A deck with minted cards asks the ownership module (a pooled read each): a few at a time.
    return mapWithConcurrency(entries, OWNERSHIP_CHECKS_AT_ONCE, ({ actor, deckId }, i) =>
      matchDeckOf(actor, deckId, found[i] ?? null).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
    );
  }

  async function matchDeckOf(actor: CardUser, deckId: string, found: DeckWithHoldings | null): Promise<MatchDeck> {
    // A deck refused (or gone) is forgotten, so that its next join goes straight to the full check.
    lastChecks.delete(deckId.toLowerCase());
    if (!found) throw notFound(deckId);
    const cards = await checkedCards(pool, actor, found.deck.card_ids, found.holdings);
    const power = deckPower(cards);
    if (found.holdings.every((card) => card.status !== "minted")) lastChecks.set(found.deck.id, { playerId: actor.playerId, cardIds: found.deck.card_ids, power });
    return { deckId: found.deck.id, cards, power };
  }

  return {
    /** The player's decks, oldest first, with the most it may keep. */
    async list(actor: CardUser): Promise<{ decks: DeckBody[]; maxDecks: number }> {
      const rows = await listDecks(pool, actor.playerId);
      const cards = await cardsOf(rows);
      return { decks: rows.map((row, i) => deckBody(row, cards[i]!)), maxDecks: maxDecksPerPlayer };
    },

    /** One of the player's decks with its cards as the engine plays them. */
    async get(actor: CardUser, deckId: string): Promise<DeckDetailBody> {
      const row = await findDeck(pool, actor.playerId, deckId);
      if (!row) throw notFound(deckId);
      const [cards] = await cardsOf([row]);
      return { ...deckBody(row, cards!), cards: cards!.map((card) => ({ ...card, abilities: [...card.abilities] })) };
    },

    /** Saves a new deck of cards the player may use now. */
    async create(actor: CardUser, { name, cardIds }: { name: string; cardIds: readonly string[] }): Promise<DeckBody> {
      return write(async (client) => {
        // One writer per player at a time, so the deck limit holds under concurrent creates.
        await client.query(`SELECT 1 FROM game.players WHERE id = $1 FOR NO KEY UPDATE`, [actor.playerId]);
        if ((await countDecks(client, actor.playerId)) >= maxDecksPerPlayer) {
          throw new AppError("RULE_VIOLATION", `You may keep at most ${maxDecksPerPlayer} decks.`, { details: { reason: "TOO_MANY_DECKS", max: maxDecksPerPlayer } });
        }
        const cards = await checkedCards(client, actor, cardIds);
        const row = await insertDeck(client, actor.playerId, name, cardIds);
        await appendEvents(client, [{ aggregateType: "deck", aggregateId: row.id, type: "deck.created", payload: { deckId: row.id, playerId: actor.playerId, name, cardIds: row.card_ids } }]);
        return deckBody(row, cards);
      });
    },

    /** Renames a deck and/or gives it new cards (checked as on create). */
    async update(actor: CardUser, deckId: string, change: { name?: string | undefined; cardIds?: readonly string[] | undefined }): Promise<DeckBody> {
      return write(async (client) => {
        const current = await findDeck(client, actor.playerId, deckId, { forUpdate: true });
        if (!current) throw notFound(deckId);
        if (change.cardIds !== undefined) await checkedCards(client, actor, change.cardIds);
        const row = await updateDeck(client, actor.playerId, deckId, { ...(change.name === undefined ? {} : { name: change.name }), ...(change.cardIds === undefined ? {} : { cardIds: change.cardIds }) });
        if (!row) throw notFound(deckId);
        await appendEvents(client, [{ aggregateType: "deck", aggregateId: row.id, type: "deck.updated", payload: { deckId: row.id, playerId: actor.playerId, name: row.name, cardIds: row.card_ids } }]);
        const [cards] = await cardsOf([row]);
        return deckBody(row, cards!);
      });
    },

    /** Deletes one of the player's decks. */
    async remove(actor: CardUser, deckId: string): Promise<void> {
      await write(async (client) => {
        if (!(await deleteDeck(client, actor.playerId, deckId))) throw notFound(deckId);
        await appendEvents(client, [{ aggregateType: "deck", aggregateId: deckId, type: "deck.deleted", payload: { deckId, playerId: actor.playerId } }]);
      });
    },

    /** The starter pack, once per player: 20 off-chain cards and a deck of them named "Starter". */
    async claimStarterPack(actor: CardUser) {
      const { cards, deck } = await write((client) => claimStarterPackOn(client, actor));
      definitions.remember(cards);
      const defs = await definitions.of(pool, cards.map((row) => row.id));
      return { cards: cards.map(cardBody), deck: deckBody(deck, defs) };
    },

    resolveDeckForMatch,
    resolveDecksForMatch,

    /**
     * The deck as this service last accepted it for a match (its cards and power), when all its cards
     * were off-chain ones: what lets a queue.join with it take one statement (enterQueueWithHeldDeck,
     * which checks in the database that the deck and its cards are still as they were). Undefined
     * for a deck not checked here yet, another player's, or one with minted cards (those ask the chain).
     */
    lastCheck(actor: CardUser, deckId: string): { cardIds: readonly string[]; power: number } | undefined {
      const last = lastChecks.get(deckId.toLowerCase());
      return last === undefined || last.playerId !== actor.playerId ? undefined : { cardIds: last.cardIds, power: last.power };
    },
  };
}

export type DeckService = ReturnType<typeof createDeckService>;

/**
 * {@link DeckService.resolveDeckForMatch} without building a service: what the game server calls
 * when a match starts.
 */
export function resolveDeckForMatch(deps: DeckServiceOptions, actor: CardUser, deckId: string): Promise<MatchDeck> {
  return createDeckService(deps).resolveDeckForMatch(actor, deckId);
}

import type pg from "pg";
import type { Card } from "@harvest/core/crafting/card";

type Client = Pick<pg.ClientBase, "query">;

/** A game.decks row. */
export type DeckRow = { id: string; player_id: string; name: string; card_ids: string[]; created_at: Date; updated_at: Date };

/** What a deck needs of a game.cards row: who holds it, whether it is minted, and the card. */
export type DeckCardRow = { id: string; holder_id: string; status: "offchain" | "voucher_issued" | "minted"; recipe_key: string; card: Card };

const DECK_COLUMNS = "id, player_id, name, card_ids::text[] AS card_ids, created_at, updated_at";

/** The player's decks, oldest first. */
export async function listDecks(client: Client, playerId: string): Promise<DeckRow[]> {
  const { rows } = await client.query<DeckRow>(`SELECT ${DECK_COLUMNS} FROM game.decks WHERE player_id = $1 ORDER BY created_at, id`, [playerId]);
  return rows;
}

/** One deck of the player's, or null (another player's deck is as absent as a missing one). */
export async function findDeck(client: Client, playerId: string, deckId: string, { forUpdate = false } = {}): Promise<DeckRow | null> {
  const { rows } = await client.query<DeckRow>(
    `SELECT ${DECK_COLUMNS} FROM game.decks WHERE id = $1 AND player_id = $2${forUpdate ? " FOR UPDATE" : ""}`,
    [deckId, playerId],
  );
  return rows[0] ?? null;
}

/** Who holds a card and whether it is minted: all a deck check reads of game.cards (a card's definition never changes: card-definitions.ts). */
export type CardHolding = Pick<DeckCardRow, "id" | "holder_id" | "status">;

/** A deck with the holdings of the cards it names (those that exist). */
export type DeckWithHoldings = { deck: DeckRow; holdings: CardHolding[] };

// A deck's columns with its cards' holdings as three arrays of one aggregate (ids, holders, statuses),
// for the statements below: small rows, and nothing for the client to parse but text arrays.
const DECK_WITH_HOLDINGS = `d.id, d.player_id, d.name, d.card_ids::text[] AS card_ids, d.created_at, d.updated_at, h.ids, h.holders, h.statuses
  FROM game.decks d
  CROSS JOIN LATERAL (SELECT array_agg(c.id::text) AS ids, array_agg(c.holder_id::text) AS holders, array_agg(c.status) AS statuses
                        FROM game.cards c WHERE c.id = ANY (d.card_ids)) h`;

type DeckWithHoldingsRow = DeckRow & { ids: string[] | null; holders: string[] | null; statuses: CardHolding["status"][] | null };

const withHoldings = ({ ids, holders, statuses, ...deck }: DeckWithHoldingsRow): DeckWithHoldings => ({
  deck,
  holdings: (ids ?? []).map((id, i) => ({ id, holder_id: holders![i]!, status: statuses![i]! })),
});

/**
 * Decks with the holdings of their cards, all in one round trip (the deck checks of a matchmaking
 * tick), in the order asked; null for a deck that is not that player's (or none at all). One deck (a
 * queue.join, an invite) has a statement of its own: Postgres plans a statement over `unnest` of its
 * arrays again on every call (each array's length changes the estimate), and the planning cost as
 * much as reading the deck.
 */
export async function findDecksWithHoldings(client: Client, wanted: readonly { playerId: string; deckId: string }[]): Promise<(DeckWithHoldings | null)[]> {
  if (wanted.length === 0) return [];
  if (wanted.length === 1) {
    const { rows } = await client.query<DeckWithHoldingsRow>({
      name: "deck-with-holdings",
      text: `SELECT ${DECK_WITH_HOLDINGS} WHERE d.id = $1 AND d.player_id = $2`,
      values: [wanted[0]!.deckId, wanted[0]!.playerId],
    });
    return [rows[0] === undefined ? null : withHoldings(rows[0])];
  }
  const { rows } = await client.query<DeckWithHoldingsRow & { n: string }>({
    name: "decks-with-holdings",
    text: `SELECT w.n, ${DECK_WITH_HOLDINGS}
             JOIN unnest($1::uuid[], $2::bigint[]) WITH ORDINALITY AS w(deck_id, player_id, n) ON d.id = w.deck_id AND d.player_id = w.player_id`,
    values: [wanted.map((entry) => entry.deckId), wanted.map((entry) => entry.playerId)],
  });
  const found: (DeckWithHoldings | null)[] = wanted.map(() => null);
  for (const { n, ...row } of rows) found[Number(n) - 1] = withHoldings(row);
  return found;
}

export async function countDecks(client: Client, playerId: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM game.decks WHERE player_id = $1`, [playerId]);
  return rows[0]!.n;
}

export async function insertDeck(client: Client, playerId: string, name: string, cardIds: readonly string[]): Promise<DeckRow> {
  const { rows } = await client.query<DeckRow>(
    `INSERT INTO game.decks (player_id, name, card_ids) VALUES ($1, $2, $3::bigint[]) RETURNING ${DECK_COLUMNS}`,
    [playerId, name, cardIds],
  );
  return rows[0]!;
}

/** Renames the deck and/or replaces its cards; null when the player has no such deck. */
export async function updateDeck(client: Client, playerId: string, deckId: string, change: { name?: string; cardIds?: readonly string[] }): Promise<DeckRow | null> {
  const { rows } = await client.query<DeckRow>(
    `UPDATE game.decks SET name = coalesce($3, name), card_ids = coalesce($4::bigint[], card_ids), updated_at = now()
     WHERE id = $1 AND player_id = $2 RETURNING ${DECK_COLUMNS}`,
    [deckId, playerId, change.name ?? null, change.cardIds ?? null],
  );
  return rows[0] ?? null;
}

/** Deletes the deck; false when the player has no such deck. */
export async function deleteDeck(client: Client, playerId: string, deckId: string): Promise<boolean> {
  const { rowCount } = await client.query(`DELETE FROM game.decks WHERE id = $1 AND player_id = $2`, [deckId, playerId]);
  return rowCount === 1;
}

/** The game.cards rows of `cardIds` that exist, whoever holds them. */
export async function loadDeckCards(client: Client, cardIds: readonly string[]): Promise<DeckCardRow[]> {
  if (cardIds.length === 0) return [];
  const { rows } = await client.query<DeckCardRow>(
    `SELECT id, holder_id, status, recipe_key, card FROM game.cards WHERE id = ANY($1::bigint[])`,
    [[...new Set(cardIds)]],
  );
  return rows;
}

/** Whether `error` is Postgres' unique violation (23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "23505";
}

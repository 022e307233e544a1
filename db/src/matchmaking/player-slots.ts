import type { ClientBase, Pool } from "pg";
import type { QueueMode } from "@harvest/core/matchmaking/pair-queue";
import { newRating, type Rating } from "@harvest/core/rating/rate-match";

// A player's one slot: queued (ranked, casual, or waiting on a private invite) or matched (in a battle
// with another player). The table's primary key keeps every player in at most one queue or match,
// whichever game-server process they talk to.

export type SlotMode = QueueMode | "private";

export type QueuedSlot = {
  playerId: string;
  mode: SlotMode;
  deckId: string;
  rating: Rating;
  deckPower: number;
  inviteCode: string | null;
  queuedAt: Date;
};

type SlotRow = { player_id: string; mode: SlotMode; deck_id: string; rating: number; rating_rd: number; deck_power: number; invite_code: string | null; queued_at: Date };

const slotFromRow = (row: SlotRow): QueuedSlot => ({
  playerId: row.player_id,
  mode: row.mode,
  deckId: row.deck_id,
  // Pairing reads the rating and its deviation; the volatility only matters when a match is rated.
  rating: { rating: row.rating, rd: row.rating_rd, vol: newRating().vol },
  deckPower: row.deck_power,
  inviteCode: row.invite_code,
  queuedAt: row.queued_at,
});

/** A slot as a player takes it: their rating is not given but read, in the same statement. */
export type SlotEntry = Omit<QueuedSlot, "queuedAt" | "rating">;

// The player's Glicko-2 rating and deviation, or the initial ones before their first ranked match.
const INITIAL = newRating();
const RATING = `coalesce(r.rating, ${INITIAL.rating}), coalesce(r.rd, ${INITIAL.rd})`;
/** The FROM of a slot insert that reads player $1's rating row (one lookup) for RATING. */
const FROM_RATING = `FROM (VALUES (1)) AS one LEFT JOIN game.ratings r ON r.player_id = $1`;

/**
 * Queues the player (or parks them on an invite code) with their current rating, read in the same
 * statement (one round trip). Answers the rating and deviation queued with, or null when they already
 * hold a slot: queued or in a match.
 */
export async function enterQueue(client: Pool | ClientBase, slot: SlotEntry): Promise<{ rating: number; rd: number } | null> {
  const { rows } = await client.query<{ rating: number; rating_rd: number }>({
    name: "slots-enter-queue",
    text: `INSERT INTO game.player_slots (player_id, state, mode, deck_id, rating, rating_rd, deck_power, invite_code)
           SELECT $1, 'queued', $2, $3, ${RATING}, $4, $5 ${FROM_RATING}
           ON CONFLICT (player_id) DO NOTHING RETURNING rating, rating_rd`,
    values: [slot.playerId, slot.mode, slot.deckId, slot.deckPower, slot.inviteCode],
  });
  const row = rows[0];
  return row === undefined ? null : { rating: row.rating, rd: row.rating_rd };
}

/** What enterQueueWithHeldDeck did: queued (with the rating), refused a second slot, or found the deck not as it was. */
export type HeldDeckEntry = { queued: { rating: number; rd: number } } | "busy" | "recheck";

/**
 * enterQueue for a deck checked before (the deck service's lastCheck): queues the player in ONE
 * statement if deck `slot.deckId` is theirs, still names exactly `cardIds`, and every one of those
 * is an off-chain card they hold, so that the deck plays as it did (a card's definition never
 * changes, so neither do the deck rules' verdict and `slot.deckPower`). Answers "recheck", and writes
 * nothing, when any of that is not so (a card sold, rented out, minted or given away; the deck edited
 * or deleted): check the deck in full then. "busy": they hold a slot already.
 */
export async function enterQueueWithHeldDeck(client: Pool | ClientBase, slot: SlotEntry, cardIds: readonly string[]): Promise<HeldDeckEntry> {
  const { rows } = await client.query<{ held: boolean; rating: number | null; rating_rd: number | null }>({
    name: "slots-enter-queue-held-deck",
    text: `WITH deck AS (
             SELECT 1 FROM game.decks d
              WHERE d.id = $3 AND d.player_id = $1 AND d.card_ids = $6::bigint[]
                AND (SELECT count(*) FROM game.cards c WHERE c.id = ANY (d.card_ids) AND c.holder_id = $1 AND c.status <> 'minted') = cardinality(d.card_ids)
           ), slot AS (
             INSERT INTO game.player_slots (player_id, state, mode, deck_id, rating, rating_rd, deck_power, invite_code)
             SELECT $1, 'queued', $2, $3, ${RATING}, $4, $5 FROM deck LEFT JOIN game.ratings r ON r.player_id = $1
             ON CONFLICT (player_id) DO NOTHING RETURNING rating, rating_rd
           )
           SELECT EXISTS (SELECT 1 FROM deck) AS held, s.rating, s.rating_rd FROM (VALUES (1)) AS one LEFT JOIN slot s ON true`,
    values: [slot.playerId, slot.mode, slot.deckId, slot.deckPower, slot.inviteCode, [...cardIds]],
  });
  const row = rows[0]!;
  if (!row.held) return "recheck";
  return row.rating === null ? "busy" : { queued: { rating: row.rating, rd: row.rating_rd! } };
}

/** Takes the player out of their queue (or withdraws their invite). False when they were not queued. */
export async function leaveQueue(client: Pool | ClientBase, playerId: string): Promise<boolean> {
  const { rowCount } = await client.query(`DELETE FROM game.player_slots WHERE player_id = $1 AND state = 'queued'`, [playerId]);
  return rowCount === 1;
}

const SLOT_COLUMNS = "player_id, mode, deck_id, rating, rating_rd, deck_power, invite_code, queued_at";
/** SLOT_COLUMNS of game.player_slots named `s` (a statement that joins another table). */
const S_SLOT_COLUMNS = SLOT_COLUMNS.split(", ").map((column) => `s.${column}`).join(", ");

/** Up to `limit` queued ranked and casual players, longest waiting first, without a lock (a tick pairs them, then locks the pairs: lockQueuedSlots). */
export async function readQueue(client: Pool | ClientBase, limit: number): Promise<QueuedSlot[]> {
  const { rows } = await client.query<SlotRow>({
    name: "slots-read-queue",
    text: `SELECT ${SLOT_COLUMNS} FROM game.player_slots WHERE state = 'queued' AND mode IN ('ranked', 'casual') ORDER BY queued_at LIMIT $1`,
    values: [limit],
  });
  return rows.map(slotFromRow);
}

/** A queued slot locked for pairing, with the player's rating as it stands (game.ratings, or the initial one). */
export type LockedSlot = QueuedSlot & { ratingNow: Rating };

/**
 * Locks those of the players who are still queued, skipping rows another matchmaker holds: every
 * instance may run a matchmaker and none pairs a player another is pairing.
 *
 * Each comes with `ratingNow`, their whole rating read under the lock: what their match is settled
 * from at its end (endBattle), with no second read. Nothing else can move it in between: only a
 * settlement writes game.ratings, and the player's previous one committed before this slot could be
 * written (it released their last slot), while their next is this match's own.
 */
export async function lockQueuedSlots(client: ClientBase, playerIds: readonly string[]): Promise<LockedSlot[]> {
  const { rows } = await client.query<SlotRow & { now_rating: number | null; now_rd: number | null; now_vol: number | null }>({
    name: "slots-lock-queued",
    text: `SELECT ${S_SLOT_COLUMNS}, r.rating AS now_rating, r.rd AS now_rd, r.vol AS now_vol
             FROM game.player_slots s LEFT JOIN game.ratings r ON r.player_id = s.player_id
            WHERE s.player_id = ANY ($1::bigint[]) AND s.state = 'queued' ORDER BY s.player_id FOR UPDATE OF s SKIP LOCKED`,
    values: [[...playerIds]],
  });
  return rows.map((row) => ({ ...slotFromRow(row), ratingNow: row.now_rating === null ? newRating() : { rating: row.now_rating, rd: row.now_rd!, vol: row.now_vol! } }));
}

/**
 * The slot waiting on invite `code`, or null when there is none (used, withdrawn or never made).
 * With `lock`, the row is locked FOR UPDATE on the caller's transaction.
 */
export async function findInvite(client: Pool | ClientBase, code: string, { lock = false } = {}): Promise<QueuedSlot | null> {
  const { rows } = await client.query<SlotRow>(`SELECT ${SLOT_COLUMNS} FROM game.player_slots WHERE invite_code = $1 AND state = 'queued'${lock ? " FOR UPDATE" : ""}`, [code]);
  return rows[0] === undefined ? null : slotFromRow(rows[0]);
}

/** Marks the players' slots as in `battleId` (the invite code is spent). */
export async function markMatched(client: ClientBase, playerIds: readonly string[], battleId: string): Promise<void> {
  await client.query(`UPDATE game.player_slots SET state = 'matched', battle_id = $2, invite_code = NULL WHERE player_id = ANY ($1::bigint[])`, [[...playerIds], battleId]);
}

/** Inserts a slot that is matched at once (the player accepting an invite), with their current rating. False when they already hold a slot. */
export async function enterMatched(client: ClientBase, slot: Omit<SlotEntry, "inviteCode">, battleId: string): Promise<boolean> {
  const { rowCount } = await client.query({
    name: "slots-enter-matched",
    text: `INSERT INTO game.player_slots (player_id, state, mode, deck_id, rating, rating_rd, deck_power, battle_id)
           SELECT $1, 'matched', $2, $3, ${RATING}, $4, $5 ${FROM_RATING}
           ON CONFLICT (player_id) DO NOTHING`,
    values: [slot.playerId, slot.mode, slot.deckId, slot.deckPower, battleId],
  });
  return rowCount === 1;
}

/** Starts the player's grace period in their match (their last connection closed). Returns whether they were in one. */
export async function markDisconnected(client: Pool | ClientBase, playerId: string, battleId: string): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE game.player_slots SET disconnected_at = now() WHERE player_id = $1 AND battle_id = $2 AND disconnected_at IS NULL`,
    [playerId, battleId],
  );
  return rowCount === 1;
}

/** Ends the player's grace period (they are back). Returns whether one was running. */
export async function markReconnected(client: Pool | ClientBase, playerId: string, battleId: string): Promise<boolean> {
  const { rowCount } = await client.query(`UPDATE game.player_slots SET disconnected_at = NULL WHERE player_id = $1 AND battle_id = $2 AND disconnected_at IS NOT NULL`, [
    playerId,
    battleId,
  ]);
  return rowCount === 1;
}

/** Players whose grace period has run out, with their battle: they forfeit. */
export async function overdueDisconnections(client: Pool | ClientBase, graceMs: number): Promise<{ playerId: string; battleId: string }[]> {
  const { rows } = await client.query<{ player_id: string; battle_id: string }>(
    `SELECT player_id, battle_id FROM game.player_slots WHERE disconnected_at < now() - make_interval(secs => $1::double precision / 1000) AND battle_id IS NOT NULL LIMIT 500`,
    [graceMs],
  );
  return rows.map((row) => ({ playerId: row.player_id, battleId: row.battle_id }));
}

/** What the player is doing: queued, in a match, or neither (null). */
export async function slotStateOf(client: Pool | ClientBase, playerId: string): Promise<{ state: "queued" | "matched"; mode: SlotMode; battleId: string | null } | null> {
  const { rows } = await client.query<{ state: "queued" | "matched"; mode: SlotMode; battle_id: string | null }>(`SELECT state, mode, battle_id FROM game.player_slots WHERE player_id = $1`, [
    playerId,
  ]);
  const row = rows[0];
  return row === undefined ? null : { state: row.state, mode: row.mode, battleId: row.battle_id };
}

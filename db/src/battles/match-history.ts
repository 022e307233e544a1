import type { ClientBase, Pool } from "pg";
import type { BattleAction } from "@harvest/core/battle/actions";
import type { CardDef } from "@harvest/core/battle/cards";
import type { BattleResult } from "@harvest/core/battle/state";
import { AppError } from "@harvest/core/errors/error-codes";
import { newRating, type Rating } from "@harvest/core/rating/rate-match";
import type { BattleStatus, StoredBattle } from "./battle-store.ts";

type Db = Pool | ClientBase;

/** A battle as one of its players may replay it: with the seed and both decks only once it has ended. */
export type BattleReplay = {
  battleId: string;
  mode: string;
  status: BattleStatus;
  result: BattleResult | null;
  finalHash: string | null;
  players: string[];
  params: {
    battleId: string;
    seed?: string;
    players: { playerId: string; deck: readonly CardDef[] | null }[];
    startedAtMs: number;
    turnTimeMs: number;
  };
  actions: { seq: number; action: BattleAction; nowMs: number }[];
};

/**
 * What replayBattle needs, as `viewerId` may see it, or null when the viewer is not one of the
 * battle's players. The seed and the other players' deck lists stay secret while the battle runs
 * (with them anyone could know every draw); once it has ended everything is shown, so a client can
 * replay it and check the final hash. The one place this rule lives: the API and the game server
 * both answer with it.
 */
export function replayFor(battle: StoredBattle, viewerId: string): BattleReplay | null {
  if (!battle.players.includes(viewerId)) return null;
  const ended = battle.status === "ended";
  const { seed, players, battleId, startedAtMs, turnTimeMs } = battle.params;
  const seats = players.map((seat) => (ended || seat.playerId === viewerId ? { playerId: seat.playerId, deck: seat.deck } : { playerId: seat.playerId, deck: null }));
  return {
    battleId: battle.id,
    mode: battle.mode,
    status: battle.status,
    result: battle.result,
    finalHash: battle.finalHash,
    players: battle.players,
    params: { battleId, ...(ended ? { seed } : {}), players: seats, startedAtMs, turnTimeMs },
    actions: battle.actions.map((entry) => ({ seq: entry.seq, action: entry.action, nowMs: entry.nowMs })),
  };
}

export type MatchOutcome = "win" | "loss" | "draw";

/** One battle in a player's history, from that player's side. */
export type MatchSummary = {
  id: string;
  mode: string;
  status: BattleStatus;
  /** The other player's id ("practice-bot" in practice). */
  opponentId: string | null;
  result: BattleResult | null;
  outcome: MatchOutcome | null;
  /** Ranked matches once settled: the rating before and after, and the change. */
  rating: { before: Rating; after: Rating; change: number } | null;
  /** What the match paid into the player's farm, once settled (matches between players only). */
  reward: { resources: { kind: string; quality: number; quantity: number }[]; seeds: number } | null;
  createdAt: Date;
  endedAt: Date | null;
};

export type MatchPage = { matches: MatchSummary[]; nextCursor: string | null };

type SettledPlayer = { outcome: MatchOutcome; rating: { before: Rating; after: Rating } | null; reward: MatchSummary["reward"] };
type MatchRow = {
  id: string;
  mode: string;
  status: BattleStatus;
  players: string[];
  result: BattleResult | null;
  created_at: Date;
  ended_at: Date | null;
  created_us: string;
  settled: SettledPlayer | null;
};

// The player's side of a match's settlement (rating before/after, reward), stored with its end.
const matchesSql = (where: string) => `
  SELECT id, mode, status, players, result, created_at, ended_at, (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us, settlement -> $1::text AS settled
    FROM game.battles b
   WHERE b.players @> ARRAY[$1::text] AND ${where}
   ORDER BY b.created_at DESC, b.id DESC
   LIMIT $2`;

function outcomeOf(result: BattleResult | null, playerId: string): MatchOutcome | null {
  if (result === null) return null;
  if (result.winnerId === null) return "draw";
  return result.winnerId === playerId ? "win" : "loss";
}

function summaryOf(row: MatchRow, playerId: string): MatchSummary {
  const rating = row.settled?.rating ?? null;
  return {
    id: row.id,
    mode: row.mode,
    status: row.status,
    opponentId: row.players.find((id) => id !== playerId) ?? null,
    result: row.result,
    outcome: outcomeOf(row.result, playerId),
    rating: rating === null ? null : { before: rating.before, after: rating.after, change: rating.after.rating - rating.before.rating },
    reward: row.settled?.reward ?? null,
    createdAt: row.created_at,
    endedAt: row.ended_at,
  };
}

const encodeCursor = (parts: (string | number)[]) => Buffer.from(parts.join("|")).toString("base64url");

function decodeCursor(cursor: string, pattern: RegExp): RegExpExecArray {
  const parsed = pattern.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (parsed === null) throw new AppError("VALIDATION_FAILED", "The cursor is not one this list gave; start again without it.", { details: { field: "cursor" } });
  return parsed;
}

const MATCH_CURSOR = /^(\d{1,20})\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * The player's battles (practice and matches), newest first, `limit` at a time. `cursor` is the
 * previous page's `nextCursor`: the position (creation time to the microsecond, id) of its last row.
 */
export async function listMatches(db: Db, playerId: string, page: { limit: number; cursor?: string | undefined }): Promise<MatchPage> {
  const after = page.cursor === undefined ? null : decodeCursor(page.cursor, MATCH_CURSOR);
  const where = after === null ? "true" : `(b.created_at, b.id) < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::uuid)`;
  const values: unknown[] = [playerId, page.limit + 1, ...(after === null ? [] : [after[1], after[2]])];
  const { rows } = await db.query<MatchRow>(matchesSql(where), values);
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return { matches: shown.map((row) => summaryOf(row, playerId)), nextCursor: more && last !== undefined ? encodeCursor([last.created_us, last.id]) : null };
}

/** One battle of the player's, or null when there is none with that id or the player is not in it. */
export async function getMatch(db: Db, playerId: string, battleId: string): Promise<MatchSummary | null> {
  const { rows } = await db.query<MatchRow>(matchesSql("b.id = $3::uuid"), [playerId, 1, battleId]);
  const row = rows[0];
  return row === undefined ? null : summaryOf(row, playerId);
}

export type LeaderboardRow = { rank: number; playerId: string; displayName: string | null; rating: number; wins: number; losses: number; draws: number };
export type LeaderboardPage = { season: string; rows: LeaderboardRow[]; nextCursor: string | null };

const LEADERBOARD_CURSOR = /^(\d{1,9})\|(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\|(\d{1,19})$/;

/**
 * A season's ranked leaderboard, highest rating first (ties by player id: rank is the position),
 * `limit` rows at a time after `cursor` (the previous page's `nextCursor`).
 */
export async function leaderboardPage(db: Db, season: string, page: { limit: number; cursor?: string | undefined }): Promise<LeaderboardPage> {
  const after = page.cursor === undefined ? null : decodeCursor(page.cursor, LEADERBOARD_CURSOR);
  const where = after === null ? "" : `AND (l.rating < $3::float8 OR (l.rating = $3::float8 AND l.player_id > $4::bigint))`;
  const values: unknown[] = [season, page.limit + 1, ...(after === null ? [] : [after[2], after[3]])];
  const { rows } = await db.query<{ player_id: string; display_name: string | null; rating: number; wins: number; losses: number; draws: number }>(
    `SELECT l.player_id::text, p.display_name, l.rating, l.wins, l.losses, l.draws
       FROM game.leaderboard l JOIN game.players p ON p.id = l.player_id
      WHERE l.season = $1 ${where}
      ORDER BY l.rating DESC, l.player_id
      LIMIT $2`,
    values,
  );
  const firstRank = after === null ? 1 : Number(after[1]) + 1;
  const shown = rows.slice(0, page.limit).map((row, index) => ({
    rank: firstRank + index,
    playerId: row.player_id,
    displayName: row.display_name,
    rating: row.rating,
    wins: row.wins,
    losses: row.losses,
    draws: row.draws,
  }));
  const last = shown[shown.length - 1];
  return { season, rows: shown, nextCursor: rows.length > page.limit && last !== undefined ? encodeCursor([last.rank, String(last.rating), last.playerId]) : null };
}

export type PlayerRating = Rating & {
  /** Ranked matches played, all seasons. */
  games: number;
  /** The player's row in `season`'s leaderboard, or null before their first ranked match of it. */
  season: { season: string; rank: number; wins: number; losses: number; draws: number } | null;
};

/** The player's Glicko-2 rating (the initial one before any ranked match) and their standing in `season`. */
export async function playerRating(db: Db, playerId: string, season: string): Promise<PlayerRating> {
  const { rows } = await db.query<{ rating: number | null; rd: number | null; vol: number | null; games: number | null; wins: number | null; losses: number | null; draws: number | null; rank: string | null }>(
    `SELECT r.rating, r.rd, r.vol, r.games, l.wins, l.losses, l.draws,
            CASE WHEN l.player_id IS NOT NULL THEN
              (SELECT count(*) + 1 FROM game.leaderboard o
                WHERE o.season = l.season AND (o.rating > l.rating OR (o.rating = l.rating AND o.player_id < l.player_id)))
            END AS rank
       FROM (SELECT $1::bigint AS player_id) me
       LEFT JOIN game.ratings r ON r.player_id = me.player_id
       LEFT JOIN game.leaderboard l ON l.player_id = me.player_id AND l.season = $2`,
    [playerId, season],
  );
  const row = rows[0];
  const rating = row?.rating != null && row.rd != null && row.vol != null ? { rating: row.rating, rd: row.rd, vol: row.vol } : newRating();
  const standing = row?.rank != null ? { season, rank: Number(row.rank), wins: row.wins ?? 0, losses: row.losses ?? 0, draws: row.draws ?? 0 } : null;
  return { ...rating, games: row?.games ?? 0, season: standing };
}

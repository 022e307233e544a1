import { createHash, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";

type Queryable = pg.Pool | pg.PoolClient;

/** The Postgres channel on which revocations are announced to every API and game-server instance. */
export const SESSION_REVOKED_CHANNEL = "game_session_revoked";

/** A live session: who it is, and until when it may be refreshed. */
export type Session = { id: string; playerId: string; address: string; expiresAt: Date };

const hashToken = (token: string) => createHash("sha256").update(token).digest();

/** Opens a session for a player; returns it with its first refresh token (shown once, stored hashed). */
export async function openSession(db: Queryable, player: { id: string; address: string }, lifetimeMs: number): Promise<{ session: Session; refreshToken: string }> {
  const refreshToken = randomBytes(32).toString("base64url");
  const { rows } = await db.query<{ id: string; expires_at: Date }>(
    `INSERT INTO game.sessions (id, player_id, address, refresh_token_hash, expires_at)
     VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond') RETURNING id, expires_at`,
    [randomUUID(), player.id, player.address, hashToken(refreshToken), lifetimeMs],
  );
  return { session: { id: rows[0]!.id, playerId: player.id, address: player.address, expiresAt: rows[0]!.expires_at }, refreshToken };
}

/**
 * Exchanges a refresh token for a new one (rotation): the old token stops working. Null when the
 * token is unknown, already used, or its session is revoked or over.
 */
export async function rotateRefreshToken(db: Queryable, refreshToken: string): Promise<{ session: Session; refreshToken: string } | null> {
  const next = randomBytes(32).toString("base64url");
  const { rows } = await db.query<{ id: string; player_id: string; address: string; expires_at: Date }>(
    `UPDATE game.sessions SET refresh_token_hash = $2, refreshed_at = now()
     WHERE refresh_token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
     RETURNING id, player_id, address, expires_at`,
    [hashToken(refreshToken), hashToken(next)],
  );
  const row = rows[0];
  if (!row) return null;
  return { session: { id: row.id, playerId: row.player_id, address: row.address, expiresAt: row.expires_at }, refreshToken: next };
}

/** Revokes a session of `playerId` and tells every instance at once. False when it is not theirs or gone. */
export async function revokeSession(db: Queryable, sessionId: string, playerId: string): Promise<boolean> {
  const { rows } = await db.query(
    `WITH revoked AS (
       UPDATE game.sessions SET revoked_at = now() WHERE id = $1 AND player_id = $2 AND revoked_at IS NULL RETURNING id
     )
     SELECT pg_notify($3, id::text) FROM revoked`,
    [sessionId, playerId, SESSION_REVOKED_CHANNEL],
  );
  return rows.length === 1;
}

/** Whether a session is live now (exists, not revoked, not over). */
export async function isSessionLive(db: Queryable, sessionId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM game.sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()`, [sessionId]);
  return rows.length === 1;
}

/** Ids of sessions revoked while they could still be in use (their lifetime has not ended). */
export async function revokedLiveSessionIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM game.sessions WHERE revoked_at IS NOT NULL AND expires_at > now()`);
  return rows.map((row) => row.id);
}

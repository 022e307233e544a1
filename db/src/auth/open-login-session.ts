import { createHash, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import type { Session } from "./sessions.ts";

/**
 * The end of a login, in one statement (so one round trip and one implicit transaction): consume the
 * nonce, find or create the player, open the session and write `player.signed_in` to the outbox.
 * Nothing is written unless the nonce was live, and of concurrent callers with one nonce exactly one
 * gets a session; the others get null. Call it only after the signature has verified.
 */
export async function openLoginSession(
  pool: pg.Pool,
  { nonce, address, lifetimeMs }: { nonce: string; address: string; lifetimeMs: number },
): Promise<{ session: Session; refreshToken: string } | null> {
  const refreshToken = randomBytes(32).toString("base64url");
  const { rows } = await pool.query<{ id: string; player_id: string; address: string; expires_at: Date }>(
    `WITH spent AS (
       DELETE FROM game.auth_nonces WHERE nonce = $1 AND expires_at > now() RETURNING nonce
     ), player AS (
       INSERT INTO game.players (address) SELECT $2 FROM spent
       ON CONFLICT (address) DO UPDATE SET address = EXCLUDED.address
       RETURNING id, address
     ), session AS (
       INSERT INTO game.sessions (id, player_id, address, refresh_token_hash, expires_at)
       SELECT $3, player.id, player.address, $4, now() + $5 * interval '1 millisecond' FROM player
       RETURNING id, player_id, address, expires_at
     ), signed_in AS (
       -- The same row appendEvents (db/src/outbox.ts) writes, inside this statement's transaction.
       INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
       SELECT 'player', session.player_id::text, 'player.signed_in',
              jsonb_build_object('playerId', session.player_id::text, 'address', session.address, 'sessionId', session.id)
       FROM session
       RETURNING 1
     )
     SELECT session.id, session.player_id, session.address, session.expires_at FROM session, (SELECT count(*) FROM signed_in) AS written`,
    [nonce, address.toLowerCase(), randomUUID(), createHash("sha256").update(refreshToken).digest(), lifetimeMs],
  );
  const row = rows[0];
  if (!row) return null;
  return { session: { id: row.id, playerId: row.player_id, address: row.address, expiresAt: row.expires_at }, refreshToken };
}

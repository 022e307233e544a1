import { randomBytes } from "node:crypto";
import type pg from "pg";

type Queryable = pg.Pool | pg.PoolClient;

let issued = 0;

/** Issues a fresh single-use Sign-In with Ethereum nonce (alphanumeric, as EIP-4361 requires). */
export async function issueNonce(db: Queryable, ttlMs: number): Promise<{ nonce: string; expiresAt: Date }> {
  // 16 bytes of entropy in base-36-safe hex: 32 alphanumeric characters (EIP-4361 asks for at least 8).
  const nonce = randomBytes(16).toString("hex");
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO game.auth_nonces (nonce, expires_at) VALUES ($1, now() + $2 * interval '1 millisecond') RETURNING expires_at`,
    [nonce, ttlMs],
  );
  // Expired nonces are swept every hundredth issue rather than on each one.
  issued += 1;
  if (issued % 100 === 0) await db.query(`DELETE FROM game.auth_nonces WHERE expires_at < now()`);
  return { nonce, expiresAt: rows[0]!.expires_at };
}

/** Whether a nonce was issued by us and has not expired or been used (a read; it consumes nothing). */
export async function isNonceLive(db: Queryable, nonce: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM game.auth_nonces WHERE nonce = $1 AND expires_at > now()`, [nonce]);
  return rows.length === 1;
}

import type pg from "pg";
import { createPostgresRateLimitStore } from "@harvest/db/rate-limit/rate-limit-store";
import { createRateLimiter } from "@harvest/db/rate-limit/rate-limiter";
import type { ApiRateLimits } from "./app.ts";

const MINUTE_MS = 60_000;

/**
 * The API's limits, per minute, scaled by `multiplier` (RATE_LIMIT_MULTIPLIER):
 * - any request, per IP: 1,200 (20/s, room for a busy client behind one address);
 * - signed-in requests, per wallet: 600 (10/s, more than a person playing needs);
 * - nonces, per IP: 30; logins, per IP: 30 and per address: 10 (a person signs in rarely; these
 *   blunt nonce flooding and signature guessing, and each counts exactly, in the shared store);
 * - mint vouchers, per wallet: 20 (each is a signature by the game's key: a sensitive flow).
 * The per-request limits count in memory and sync to Postgres every 200 ms ("batched"); the auth
 * limits ask Postgres on every request ("exact").
 */
export function createApiRateLimits(pool: pg.Pool, multiplier = 1): ApiRateLimits {
  const store = createPostgresRateLimitStore(pool);
  const per = (limit: number, mode: "exact" | "batched") => createRateLimiter({ store, limit: Math.ceil(limit * multiplier), windowMs: MINUTE_MS, mode });
  return {
    apiByIp: per(1_200, "batched"),
    apiByWallet: per(600, "batched"),
    nonceByIp: per(30, "exact"),
    verifyByIp: per(30, "exact"),
    verifyByAddress: per(10, "exact"),
    voucherByWallet: per(20, "exact"),
  };
}

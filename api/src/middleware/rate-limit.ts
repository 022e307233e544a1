import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "@harvest/core/errors/error-codes";
import type { RateLimiter } from "@harvest/db/rate-limit/rate-limiter";

/**
 * Refuses a request with 429 and Retry-After once its key has used the limiter's window. `keyOf`
 * returns null to skip (for instance a per-wallet limit on a request with no wallet).
 */
export function rateLimit(limiter: RateLimiter, keyOf: (c: Context) => string | null): MiddlewareHandler {
  return async function rateLimitMiddleware(c, next) {
    const key = keyOf(c);
    if (key !== null) await enforce(c, limiter, key);
    await next();
  };
}

/** The same check inside a handler, for keys only known after parsing the body (a wallet address). */
export async function enforce(c: Context, limiter: RateLimiter, key: string): Promise<void> {
  const decision = await limiter.check(key);
  c.header("RateLimit-Limit", String(decision.limit));
  c.header("RateLimit-Remaining", String(decision.remaining));
  if (!decision.allowed) {
    c.header("Retry-After", String(decision.retryAfterSeconds));
    throw new AppError("RATE_LIMITED", `Too many requests; try again in ${decision.retryAfterSeconds} s.`, {
      details: { retryAfterSeconds: decision.retryAfterSeconds },
    });
  }
}

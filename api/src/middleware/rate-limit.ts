import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "@harvest/core/errors/error-codes";
import { checkTogether, type RateLimitDecision, type RateLimiter } from "@harvest/db/rate-limit/rate-limiter";

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
  answer(c, await limiter.check(key));
}

/** Several limits at once (one round trip when they share a store); the tightest one answers. */
export async function enforceAll(c: Context, checks: readonly { limiter: RateLimiter; key: string }[]): Promise<void> {
  const decisions = await checkTogether(checks);
  const refused = decisions.find((decision) => !decision.allowed);
  answer(c, refused ?? decisions.reduce((a, b) => (b.remaining < a.remaining ? b : a)));
}

function answer(c: Context, decision: RateLimitDecision): void {
  c.header("RateLimit-Limit", String(decision.limit));
  c.header("RateLimit-Remaining", String(decision.remaining));
  if (!decision.allowed) {
    c.header("Retry-After", String(decision.retryAfterSeconds));
    throw new AppError("RATE_LIMITED", `Too many requests; try again in ${decision.retryAfterSeconds} s.`, {
      details: { retryAfterSeconds: decision.retryAfterSeconds },
    });
  }
}

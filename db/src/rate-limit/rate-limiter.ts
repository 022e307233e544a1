import type { RateLimitStore, WindowCount } from "./rate-limit-store.ts";

/** The verdict on one request. */
export type RateLimitDecision = { allowed: boolean; limit: number; remaining: number; retryAfterSeconds: number };

export type RateLimiterOptions = {
  store: RateLimitStore;
  /** Requests allowed per key per window. */
  limit: number;
  windowMs: number;
  /**
   * "exact" asks the store on every request (auth endpoints: few requests, each must count);
   * "batched" counts in memory and sends the deltas to the store every `flushIntervalMs`, deciding on
   * the last shared total plus the local count (hot paths: no query per request, instances converge
   * within one flush).
   */
  mode?: "exact" | "batched";
  flushIntervalMs?: number;
  nowMs?: () => number;
};

/** A fixed-window rate limiter over a shared store. */
export function createRateLimiter({ store, limit, windowMs, mode = "exact", flushIntervalMs = 200, nowMs = Date.now }: RateLimiterOptions) {
  const decide = (count: WindowCount): RateLimitDecision => ({
    allowed: count.hits <= limit,
    limit,
    remaining: Math.max(0, limit - count.hits),
    retryAfterSeconds: Math.max(1, Math.ceil((count.resetAtMs - nowMs()) / 1000)),
  });

  if (mode === "exact") {
    return {
      async check(key: string): Promise<RateLimitDecision> {
        const counts = await store.add([{ key, windowMs, hits: 1 }]);
        return decide(counts.get(key)!);
      },
      stop() {},
      exact: { store, windowMs, decide },
    };
  }

  const shared = new Map<string, WindowCount>();
  const pending = new Map<string, number>();
  const windowStart = () => Math.floor(nowMs() / windowMs) * windowMs;
  let flushing: Promise<void> | undefined;
  const flush = async () => {
    if (flushing || pending.size === 0) return;
    const entries = [...pending].map(([key, hits]) => ({ key, windowMs, hits }));
    pending.clear();
    flushing = store
      .add(entries)
      .then((counts) => {
        for (const [key, count] of counts) shared.set(key, count);
      })
      .catch(() => {
        // The store is unreachable: keep counting locally; the next flush sends these again.
        for (const { key, hits } of entries) pending.set(key, (pending.get(key) ?? 0) + hits);
      })
      .finally(() => (flushing = undefined));
    await flushing;
  };
  const timer = setInterval(() => void flush(), flushIntervalMs);
  timer.unref();

  return {
    async check(key: string): Promise<RateLimitDecision> {
      const start = windowStart();
      const known = shared.get(key);
      const base = known && known.resetAtMs > start ? known.hits : 0;
      const local = (pending.get(key) ?? 0) + 1;
      pending.set(key, local);
      return decide({ hits: base + local, resetAtMs: start + windowMs });
    },
    stop() {
      clearInterval(timer);
    },
    /** Sends pending counts now (tests, shutdown). */
    flush,
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/**
 * Checks several exact limiters that share one store in a single round trip (a login counts against
 * its IP and its address at once). Limiters in batched mode are checked one by one as usual.
 */
export async function checkTogether(checks: readonly { limiter: RateLimiter; key: string }[]): Promise<RateLimitDecision[]> {
  const exact = checks.filter((check) => "exact" in check.limiter && check.limiter.exact);
  const store = exact[0] && "exact" in exact[0].limiter ? exact[0].limiter.exact?.store : undefined;
  const sameStore = store !== undefined && exact.length === checks.length && exact.every((check) => "exact" in check.limiter && check.limiter.exact?.store === store);
  if (!sameStore) return Promise.all(checks.map((check) => check.limiter.check(check.key)));
  const counts = await store.add(checks.map((check) => ({ key: check.key, windowMs: (check.limiter as { exact: { windowMs: number } }).exact.windowMs, hits: 1 })));
  return checks.map((check) => (check.limiter as { exact: { decide: (count: WindowCount) => RateLimitDecision } }).exact.decide(counts.get(check.key)!));
}

import type pg from "pg";

/** The count of one key in its current window. */
export type WindowCount = { hits: number; resetAtMs: number };

/** Where rate-limit counters live; shared by every API instance. */
export type RateLimitStore = {
  /** Adds `hits` to each key's fixed window of `windowMs` and returns the totals. */
  add(entries: { key: string; windowMs: number; hits: number }[]): Promise<Map<string, WindowCount>>;
};

/**
 * Fixed-window counters in `game.rate_limits`, one atomic upsert for any number of keys. Windows are
 * aligned to multiples of their length, so every instance agrees on where a window starts.
 */
export function createPostgresRateLimitStore(pool: pg.Pool): RateLimitStore {
  let writes = 0;
  return {
    async add(entries) {
      if (entries.length === 0) return new Map();
      const { rows } = await pool.query<{ key: string; hits: number; reset_at_ms: string }>(
        `INSERT INTO game.rate_limits AS r (key, window_start, hits)
         SELECT t.key, to_timestamp(floor(extract(epoch FROM now()) * 1000 / t.window_ms) * t.window_ms / 1000.0), t.hits
         FROM unnest($1::text[], $2::bigint[], $3::int[]) AS t(key, window_ms, hits)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.hits + EXCLUDED.hits ELSE EXCLUDED.hits END,
           window_start = EXCLUDED.window_start
         RETURNING r.key, r.hits, (extract(epoch FROM r.window_start) * 1000)::bigint AS reset_at_ms`,
        [entries.map((e) => e.key), entries.map((e) => e.windowMs), entries.map((e) => e.hits)],
      );
      const windowOf = new Map(entries.map((e) => [e.key, e.windowMs]));
      // Old windows are swept now and then, not on every write.
      writes += 1;
      if (writes % 1_000 === 0) await pool.query(`DELETE FROM game.rate_limits WHERE window_start < now() - interval '1 day'`);
      return new Map(rows.map((row) => [row.key, { hits: row.hits, resetAtMs: Number(row.reset_at_ms) + (windowOf.get(row.key) ?? 0) }]));
    },
  };
}

/**
 * The benchmarks' baseline (docs: ../shared/design/benchmarks.md): a bare Hono + pg server with no
 * middleware. It is the floor a real implementation must pay: routing, one query on the same pool,
 * JSON out.
 * - `GET /players/:id`: the primary-key read that `GET /v1/me` does (bench:api);
 * - `POST /counters/:id`: one indexed single-row update (bench:farm); call `prepareBareCounters` first.
 */
import { Hono } from "hono";
import type pg from "pg";

export function createBareApi(pool: pg.Pool) {
  const app = new Hono();
  app.get("/players/:id", async (c) => {
    const { rows } = await pool.query(`SELECT id, address, display_name, created_at FROM game.players WHERE id = $1`, [c.req.param("id")]);
    return rows[0] ? c.json(rows[0]) : c.json({ error: "not found" }, 404);
  });
  app.post("/counters/:id", async (c) => {
    const { rows } = await pool.query(`UPDATE public.bench_counters SET n = n + 1 WHERE id = $1 RETURNING n`, [Number(c.req.param("id"))]);
    return c.json({ n: rows[0]?.n ?? null });
  });
  return app;
}

/** Creates the rows `POST /counters/:id` updates, ids 1 to `rows`. */
export async function prepareBareCounters(pool: pg.Pool, rows: number): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS public.bench_counters (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)`);
  await pool.query(`INSERT INTO public.bench_counters (id) SELECT generate_series(1, $1) ON CONFLICT DO NOTHING`, [rows]);
}

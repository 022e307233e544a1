import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type pg from "pg";

/**
 * The baseline the benchmarks measure against: bare Hono and pg, no middleware, one indexed
 * single-row update per request (`POST /counters/:id`).
 */
export async function startBareUpdateServer(pool: pg.Pool, rows: number): Promise<{ url: string; close(): Promise<void> }> {
  await pool.query(`CREATE TABLE IF NOT EXISTS public.bench_counters (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)`);
  await pool.query(`INSERT INTO public.bench_counters (id) SELECT generate_series(1, $1) ON CONFLICT DO NOTHING`, [rows]);
  const app = new Hono();
  app.post("/counters/:id", async (c) => {
    const { rows: updated } = await pool.query(`UPDATE public.bench_counters SET n = n + 1 WHERE id = $1 RETURNING n`, [Number(c.req.param("id"))]);
    return c.json({ n: updated[0]?.n ?? null });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  await new Promise((resolve) => server.once("listening", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

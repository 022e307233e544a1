/**
 * The API benchmark's baseline (docs: ../shared/design/benchmarks.md): a bare Hono + pg server with no
 * middleware, doing the primary-key read that `GET /v1/me` does. It is the floor a real implementation
 * must pay: routing, one query on the same pool size, JSON out.
 */
import { Hono } from "hono";
import type pg from "pg";

export function createBareApi(pool: pg.Pool) {
  const app = new Hono();
  app.get("/players/:id", async (c) => {
    const { rows } = await pool.query(`SELECT id, address, display_name, created_at FROM game.players WHERE id = $1`, [c.req.param("id")]);
    return rows[0] ? c.json(rows[0]) : c.json({ error: "not found" }, 404);
  });
  return app;
}

import { Hono } from "hono";
import type { HealthReport } from "@harvest/db/health/check-health";

/** The game server's HTTP side: `GET /health` beside the WebSocket endpoint. */
export function createGameServerHttp(checkHealth: () => Promise<HealthReport>) {
  const app = new Hono();
  app.get("/health", async (c) => {
    const report = await checkHealth();
    return c.json(report, report.ok ? 200 : 503);
  });
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}.` } }, 404));
  return app;
}

import { Hono } from "hono";
import type { HealthReport } from "@harvest/db/health/check-health";

/** `GET /health`: 200 when the database, the chain and the indexer all answer, else 503. */
export function healthRoutes(checkHealth: () => Promise<HealthReport>) {
  return new Hono().get("/health", async (c) => {
    const report = await checkHealth();
    return c.json(report, report.ok ? 200 : 503);
  });
}

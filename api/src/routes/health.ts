import { createRoute } from "@hono/zod-openapi";
import { healthResponseSchema } from "@harvest/core/protocol/api-schemas";
import type { HealthReport } from "@harvest/db/health/check-health";
import { createRouter } from "../http/router.ts";

/** `GET /health`: 200 when the database, the chain and the indexer all answer, else 503. */
export function healthRoutes(checkHealth: () => Promise<HealthReport>) {
  const content = { "application/json": { schema: healthResponseSchema } };
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/health",
      tags: ["operations"],
      summary: "The state of the database, the chain and the indexer (head block and lag)",
      responses: { 200: { description: "All dependencies answer", content }, 503: { description: "A dependency is down", content } },
    }),
    async (c) => {
      const report = await checkHealth();
      return report.ok ? c.json(report, 200) : c.json(report, 503);
    },
  );
}

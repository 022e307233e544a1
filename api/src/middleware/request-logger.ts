import type { MiddlewareHandler } from "hono";
import type { Logger } from "@harvest/core/logging/logger";
import type { RequestIdVariables } from "./request-id.ts";

/** Logs one JSON line per request, with its id, method, path, status and duration. */
export function requestLogger(logger: Logger): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async function requestLoggerMiddleware(c, next) {
    const started = performance.now();
    await next();
    logger.info(
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      },
      "request",
    );
  };
}

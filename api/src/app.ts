import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "@harvest/core/logging/logger";
import type { HealthReport } from "@harvest/db/health/check-health";
import type { OwnershipReader } from "@harvest/db/ownership/ownership-reader";
import { createErrorHandler, notFound } from "./http/errors.ts";
import { requestId, type RequestIdVariables } from "./middleware/request-id.ts";
import { requestLogger } from "./middleware/request-logger.ts";
import { healthRoutes } from "./routes/health.ts";
import { walletTokenRoutes } from "./routes/wallet-tokens.ts";
import { AppError } from "@harvest/core/errors/error-codes";

/** What the API needs from the outside world; `index.ts` builds it from the environment. */
export type AppDeps = {
  logger: Logger;
  ownership: OwnershipReader;
  checkHealth: () => Promise<HealthReport>;
  maxBodyBytes?: number;
};

/** Builds the API as a Hono app, with no I/O of its own: tests call `app.request(...)` on it. */
export function createApp({ logger, ownership, checkHealth, maxBodyBytes = 64 * 1024 }: AppDeps) {
  const app = new Hono<{ Variables: RequestIdVariables }>();
  app.use(requestId());
  app.use(requestLogger(logger));
  app.use(
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new AppError("PAYLOAD_TOO_LARGE", `The request body is over ${maxBodyBytes} bytes.`);
      },
    }),
  );
  app.route("/", healthRoutes(checkHealth));
  app.route("/", walletTokenRoutes(ownership));
  app.notFound(notFound);
  app.onError(createErrorHandler(logger));
  return app;
}

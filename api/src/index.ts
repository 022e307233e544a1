import { serve } from "@hono/node-server";
import { startService } from "@harvest/db/service/start-service";
import { createApp } from "./app.ts";
import { loadApiConfig } from "./config.ts";

// The API process: reads the environment, checks its dependencies, serves until SIGINT/SIGTERM.
await startService("api", loadApiConfig, async ({ config, logger, ownership, checkHealth }) => {
  const app = createApp({ logger, ownership, checkHealth });
  const server = serve({ fetch: app.fetch, port: config.API_PORT, hostname: config.HOST });
  logger.info({ url: `http://${config.HOST}:${config.API_PORT}` }, "api listening");
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
});

import { serve } from "@hono/node-server";
import { startService } from "@harvest/db/service/start-service";
import { loadGameServerConfig } from "./config.ts";
import { createGameServerHttp } from "./http.ts";

// The game server process. It serves /health now; the WebSocket protocol (matchmaking, battles,
// chat) attaches to the same HTTP server.
await startService("game-server", loadGameServerConfig, async ({ config, logger, checkHealth }) => {
  const app = createGameServerHttp(checkHealth);
  const server = serve({ fetch: app.fetch, port: config.GAME_SERVER_PORT, hostname: config.HOST });
  logger.info({ url: `http://${config.HOST}:${config.GAME_SERVER_PORT}` }, "game server listening");
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
});

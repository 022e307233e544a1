import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { startService } from "@harvest/db/service/start-service";
import { loadGameServerConfig } from "./config.ts";
import { createBattleService } from "./battles/battle-service.ts";
import { createGameServerHttp } from "./http.ts";
import { attachSocketServer } from "./socket/socket-server.ts";

// The game server process: /health and battle replays over HTTP, and the WebSocket protocol (practice
// battles included) at /ws on the same port.
await startService("game-server", loadGameServerConfig, async ({ config, logger, checkHealth, tokens, pool }) => {
  const app = createGameServerHttp(checkHealth, { pool, tokens });
  const battles = createBattleService({ pool, logger });
  const server = serve({ fetch: app.fetch, port: config.GAME_SERVER_PORT, hostname: config.HOST }) as Server;
  const sockets = attachSocketServer({
    server,
    tokens,
    logger,
    battles,
    allowedOrigins: config.CORS_ORIGINS.split(",").map((origin) => origin.trim()).filter(Boolean),
  });
  logger.info({ url: `http://${config.HOST}:${config.GAME_SERVER_PORT}`, ws: `ws://${config.HOST}:${config.GAME_SERVER_PORT}/ws` }, "game server listening");
  return async () => {
    sockets.close();
    battles.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
});

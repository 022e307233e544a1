import { startService } from "@harvest/db/service/start-service";
import { loadGameServerConfig } from "./config.ts";
import { startGameServer } from "./game-server.ts";

// The game server process: /health and battle replays over HTTP, and the WebSocket protocol
// (matchmaking, battles, practice against the bot) at /ws on the same port.
await startService("game-server", loadGameServerConfig, async ({ config, logger, checkHealth, tokens, pool, ownership }) => {
  const game = await startGameServer({
    pool,
    tokens,
    logger,
    ownership,
    checkHealth,
    port: config.GAME_SERVER_PORT,
    hostname: config.HOST,
    allowedOrigins: config.CORS_ORIGINS.split(",").map((origin) => origin.trim()).filter(Boolean),
  });
  logger.info({ url: game.httpUrl, ws: game.wsUrl }, "game server listening");
  return () => game.close();
});

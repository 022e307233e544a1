import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type pg from "pg";
import type { Logger } from "@harvest/core/logging/logger";
import type { TokenService } from "@harvest/db/auth/token-service";
import { createDeckService } from "@harvest/db/decks/deck-service";
import type { HealthReport } from "@harvest/db/health/check-health";
import type { OwnershipReader } from "@harvest/db/ownership/ownership-reader";
import { createBattleService } from "./battles/battle-service.ts";
import { createGameServerHttp } from "./http.ts";
import { createMatchmaker } from "./matchmaking/matchmaker.ts";
import { createConnectionRegistry } from "./socket/connections.ts";
import { attachSocketServer } from "./socket/socket-server.ts";

export type GameServerOptions = {
  pool: pg.Pool;
  tokens: TokenService;
  logger: Logger;
  ownership: Pick<OwnershipReader, "usableTokens">;
  checkHealth: () => Promise<HealthReport>;
  port: number;
  hostname: string;
  allowedOrigins: readonly string[];
  turnTimeMs?: number;
  reconnectGraceMs?: number;
  graceSweepIntervalMs?: number;
  matchTickIntervalMs?: number;
  maxMessagesPerSecond?: number;
};

/**
 * The whole game server on one HTTP server: /health and replays, the WebSocket protocol at /ws, the
 * battles, the matchmaker and the deck check they share. The process entry point and the tests start
 * it the same way. Active battles are adopted from the database at start, so their timers run again.
 */
export async function startGameServer(options: GameServerOptions) {
  const { pool, tokens, logger } = options;
  const connections = createConnectionRegistry();
  const decks = createDeckService({ pool, ownership: options.ownership });
  const battles = createBattleService({
    pool,
    logger,
    connections,
    ...(options.turnTimeMs === undefined ? {} : { turnTimeMs: options.turnTimeMs }),
    ...(options.reconnectGraceMs === undefined ? {} : { reconnectGraceMs: options.reconnectGraceMs }),
    ...(options.graceSweepIntervalMs === undefined ? {} : { graceSweepIntervalMs: options.graceSweepIntervalMs }),
  });
  const matchmaker = createMatchmaker({
    pool,
    logger,
    battles,
    connections,
    resolveDeck: (actor, deckId) => decks.resolveDeckForMatch(actor, deckId),
    ...(options.matchTickIntervalMs === undefined ? {} : { tickIntervalMs: options.matchTickIntervalMs }),
  });
  const app = createGameServerHttp(options.checkHealth, { pool, tokens });
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const sockets = attachSocketServer({
    server,
    tokens,
    logger,
    battles,
    matchmaker,
    connections,
    allowedOrigins: options.allowedOrigins,
    ...(options.maxMessagesPerSecond === undefined ? {} : { maxMessagesPerSecond: options.maxMessagesPerSecond }),
  });
  const adopted = await battles.adoptActive();
  if (adopted > 0) logger.info({ battles: adopted }, "active battles adopted from the database");
  battles.startSweeping();
  await matchmaker.start();
  const { port } = server.address() as AddressInfo;
  return {
    httpUrl: `http://${options.hostname}:${port}`,
    wsUrl: `ws://${options.hostname}:${port}/ws`,
    battles,
    matchmaker,
    connections,
    sockets,
    async close(): Promise<void> {
      await matchmaker.close();
      sockets.close();
      battles.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type GameServer = Awaited<ReturnType<typeof startGameServer>>;

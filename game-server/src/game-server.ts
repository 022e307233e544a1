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
import { createChatService } from "./chat/chat-service.ts";
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
  // What each player connected here is doing, for presence: the matchmaker and the battles report it.
  const activity = new Map<string, "in_queue" | "in_match">();
  const chat = createChatService({ pool, logger, statusOf: (playerId) => activity.get(playerId) ?? null });
  const setActivity = (playerId: string, status: "in_queue" | "in_match" | null) => {
    if (status === null) activity.delete(playerId);
    else activity.set(playerId, status);
    chat.setStatus(playerId, status);
  };
  const decks = createDeckService({ pool, ownership: options.ownership });
  const battles = createBattleService({
    pool,
    logger,
    connections,
    onActivity: setActivity,
    resolveDeck: (actor, deckId) => decks.resolveDeckForMatch(actor, deckId),
    ...(options.turnTimeMs === undefined ? {} : { turnTimeMs: options.turnTimeMs }),
    ...(options.reconnectGraceMs === undefined ? {} : { reconnectGraceMs: options.reconnectGraceMs }),
    ...(options.graceSweepIntervalMs === undefined ? {} : { graceSweepIntervalMs: options.graceSweepIntervalMs }),
  });
  const matchmaker = createMatchmaker({
    pool,
    logger,
    battles,
    connections,
    resolveDecks: (entries) => decks.resolveDecksForMatch(entries),
    lastDeckCheck: (actor, deckId) => decks.lastCheck(actor, deckId),
    onActivity: setActivity,
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
    chat,
    connections,
    allowedOrigins: options.allowedOrigins,
    ...(options.maxMessagesPerSecond === undefined ? {} : { maxMessagesPerSecond: options.maxMessagesPerSecond }),
  });
  await battles.start();
  const adopted = await battles.adoptActive();
  if (adopted > 0) logger.info({ battles: adopted }, "active battles adopted from the database");
  battles.startSweeping();
  await matchmaker.start();
  await chat.start();
  const { port } = server.address() as AddressInfo;
  return {
    httpUrl: `http://${options.hostname}:${port}`,
    wsUrl: `ws://${options.hostname}:${port}/ws`,
    battles,
    matchmaker,
    chat,
    connections,
    sockets,
    async close(): Promise<void> {
      await matchmaker.close();
      await chat.close();
      sockets.close();
      battles.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type GameServer = Awaited<ReturnType<typeof startGameServer>>;

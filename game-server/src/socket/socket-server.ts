import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { clientMessageSchema, closeCodes, PROTOCOL_VERSION, type ServerMessage } from "@harvest/core/protocol/ws-messages";
import type { Logger } from "@harvest/core/logging/logger";
import type { Principal, TokenService } from "@harvest/db/auth/token-service";
import type { BattleService } from "../battles/battle-service.ts";
import type { ChatService } from "../chat/chat-service.ts";
import type { Matchmaker } from "../matchmaking/matchmaker.ts";
import { admit, type AdmissionRefusal } from "./admission.ts";
import { createConnectionRegistry, type Connection, type ConnectionRegistry } from "./connections.ts";

export type SocketServerOptions = {
  server: Server;
  tokens: TokenService;
  logger: Logger;
  allowedOrigins: readonly string[];
  /** Largest message a client may send. */
  maxMessageBytes?: number;
  /** Messages per second a connection may send before it is closed. */
  maxMessagesPerSecond?: number;
  /** Bytes queued towards a client before it counts as too slow and is closed. */
  maxBufferedBytes?: number;
  heartbeatIntervalMs?: number;
  /** Handles practice.start, battle.action and battle.resume; without it they are answered NOT_AVAILABLE. */
  battles?: BattleService;
  /** Handles queue.join, queue.leave, invite.create and invite.accept; without it they are answered NOT_AVAILABLE. */
  matchmaker?: Matchmaker;
  /** Handles chat.send, chat.history and presence.get, and follows connections for presence. */
  chat?: ChatService;
  /** The registry the services reach connected players through; one is made when not given. */
  connections?: ConnectionRegistry;
};

/**
 * The WebSocket endpoint at `/ws` on the game server's HTTP server: admits a connection only with a
 * live token (and an allowed Origin), closes every connection of a session the moment it is revoked,
 * validates each message, and bounds message size, message rate and the outbound queue.
 */
export function attachSocketServer({
  server,
  tokens,
  logger,
  allowedOrigins,
  maxMessageBytes = 16 * 1024,
  maxMessagesPerSecond = 20,
  maxBufferedBytes = 1024 * 1024,
  heartbeatIntervalMs = 15_000,
  battles,
  matchmaker,
  chat,
  connections = createConnectionRegistry(),
}: SocketServerOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  const bySession = new Map<string, Set<WebSocket>>();

  server.on("upgrade", (request, socket, head) => {
    if (new URL(request.url ?? "/", "http://localhost").pathname !== "/ws") return refuse(socket, { status: 403, code: "NOT_FOUND", message: "no WebSocket here" });
    void admit(request, tokens, allowedOrigins).then((result) => {
      if (!result.ok) return refuse(socket, result.refusal);
      wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, result.principal, socket));
    });
  });

  const stopListening = tokens.onRevoked((sessionId) => {
    for (const ws of bySession.get(sessionId) ?? []) ws.close(closeCodes.SESSION_REVOKED, "session revoked");
  });

  function onConnection(ws: WebSocket, principal: Principal, socket: Duplex) {
    const sockets = bySession.get(principal.sessionId) ?? new Set<WebSocket>();
    sockets.add(ws);
    bySession.set(principal.sessionId, sockets);
    let alive = true;
    let windowStart = Date.now();
    let windowCount = 0;
    let corked = false;
    const uncork = () => {
      corked = false;
      socket.uncork();
    };

    const send = (message: ServerMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      // A client that does not read its messages must not grow our memory without bound.
      if (ws.bufferedAmount > maxBufferedBytes) return ws.close(closeCodes.SLOW_CONSUMER, "too slow");
      // The messages sent in one go (a snapshot and an answer, say) leave in one write, not one each.
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      ws.send(JSON.stringify(message));
    };

    ws.on("pong", () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, heartbeatIntervalMs);

    ws.on("message", (data, isBinary) => {
      const now = Date.now();
      if (now - windowStart >= 1_000) {
        windowStart = now;
        windowCount = 0;
      }
      if (++windowCount > maxMessagesPerSecond) return ws.close(closeCodes.RATE_LIMITED, "too many messages");
      let parsed: unknown;
      try {
        parsed = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        parsed = undefined;
      }
      const message = clientMessageSchema.safeParse(parsed);
      if (!message.success) {
        const seq = typeof (parsed as { seq?: unknown })?.seq === "number" ? (parsed as { seq: number }).seq : null;
        return send({ type: "error", seq, code: "VALIDATION_FAILED", message: "not a valid message" });
      }
      const request = message.data;
      // The player is always the session's; each service answers (and catches its own failures).
      switch (request.type) {
        case "ping":
          return send({ type: "pong", seq: request.seq, serverTimeMs: now });
        case "practice.start":
          return battles ? void battles.startPractice(principal, request.seq, send, request.deckId) : unavailable(request.seq);
        case "battle.resume":
          return battles ? void battles.resume(principal.playerId, request.battleId, request.seq, send) : unavailable(request.seq);
        case "battle.action":
          return battles ? void battles.act(principal.playerId, request.battleId, request.seq, request.action, send) : unavailable(request.seq);
        case "queue.join":
          return matchmaker ? void matchmaker.join(self, request.seq, request.mode, request.deckId) : unavailable(request.seq);
        case "queue.leave":
          return matchmaker ? void matchmaker.leave(self, request.seq) : unavailable(request.seq);
        case "invite.create":
          return matchmaker ? void matchmaker.createInvite(self, request.seq, request.deckId) : unavailable(request.seq);
        case "invite.accept":
          return matchmaker ? void matchmaker.acceptInvite(self, request.seq, request.code, request.deckId) : unavailable(request.seq);
        case "chat.send":
        case "chat.history":
        case "presence.get":
          return chat ? void chat.handle(self, request) : unavailable(request.seq);
      }
    });
    const unavailable = (seq: number) => send({ type: "error", seq, code: "NOT_AVAILABLE", message: "not served by this game server" });
    const self: Connection & { address: string } = { playerId: principal.playerId, sessionId: principal.sessionId, address: principal.address, send };
    connections.add(self);
    void chat?.connected(self);

    ws.on("close", () => {
      clearInterval(heartbeat);
      connections.remove(self);
      chat?.disconnected(self);
      battles?.detach(send);
      void matchmaker?.connectionClosed(self);
      sockets.delete(ws);
      if (sockets.size === 0) bySession.delete(principal.sessionId);
    });
    ws.on("error", (error) => logger.debug({ err: error }, "socket error"));
    send({ type: "welcome", playerId: principal.playerId, address: principal.address, serverTimeMs: Date.now(), protocolVersion: PROTOCOL_VERSION });
  }

  return {
    connections,
    /** How many connections are open. */
    connectionCount: () => wss.clients.size,
    /** Closes every connection (1001, going away) and stops listening for revocations. */
    close() {
      stopListening();
      for (const ws of wss.clients) ws.close(closeCodes.SERVER_SHUTTING_DOWN, "server shutting down");
      wss.close();
    },
  };
}

function refuse(socket: Duplex, refusal: AdmissionRefusal) {
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  const reason = refusal.status === 401 ? "Unauthorized" : refusal.status === 403 ? "Forbidden" : "Service Unavailable";
  socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

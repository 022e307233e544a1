import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { serve } from "@hono/node-server";
import { WebSocket } from "ws";
import { createLogger } from "@harvest/core/logging/logger";
import { closeCodes, PROTOCOL_VERSION } from "@harvest/core/protocol/ws-messages";
import { openSession, revokeSession } from "@harvest/db/auth/sessions";
import { createTokenService, type TokenService } from "@harvest/db/auth/token-service";
import { findOrCreatePlayer } from "@harvest/db/players/players";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { createGameServerHttp } from "../src/http.ts";
import { attachSocketServer } from "../src/socket/socket-server.ts";

const SECRET = "game-server-test-secret-0123456789abcdef";
const ALLOWED_ORIGIN = "https://play.harvest.example";

describe("game server WebSocket admission", () => {
  let db: TestDatabase;
  let tokens: TokenService;
  let server: Server;
  let sockets: ReturnType<typeof attachSocketServer>;
  let url: string;
  let playerCount = 0;

  before(async () => {
    db = await createTestDatabase("ws_admission");
    tokens = createTokenService({ pool: db.pool, secret: SECRET });
    await tokens.start();
    const app = createGameServerHttp(async () => ({ ok: true, database: { ok: true }, chain: { ok: true }, indexer: { ok: true } }));
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
    await new Promise((resolve) => server.once("listening", resolve));
    sockets = attachSocketServer({ server, tokens, logger: createLogger("ws-test", "silent"), allowedOrigins: [ALLOWED_ORIGIN], maxMessagesPerSecond: 5, maxMessageBytes: 1024 });
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  });

  after(async () => {
    sockets?.close();
    await new Promise((resolve) => server?.close(resolve));
    await tokens?.stop();
    await db?.drop();
  });

  async function signedIn() {
    playerCount += 1;
    const player = await findOrCreatePlayer(db.pool, `0x${playerCount.toString(16).padStart(40, "0")}`);
    const { session } = await openSession(db.pool, player, 3_600_000);
    const { token } = await tokens.issueAccessToken(session);
    return { player, session, token };
  }

  /** Opens a socket and resolves with its first message, or rejects with the refused upgrade's status. */
  function connect(headers: Record<string, string>, path = ""): Promise<{ ws: WebSocket; first: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url}${path}`, { headers });
      ws.once("message", (data) => resolve({ ws, first: JSON.parse(data.toString()) }));
      ws.once("unexpected-response", (_, response) => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode })));
      ws.once("error", reject);
    });
  }

  const closed = (ws: WebSocket) => new Promise<{ code: number; ms: number }>((resolve) => {
    const started = Date.now();
    ws.once("close", (code) => resolve({ code, ms: Date.now() - started }));
  });

  it("admits a live token in the Authorization header and greets the player", async () => {
    const { token, player } = await signedIn();
    const { ws, first } = await connect({ authorization: `Bearer ${token}` });
    assert.equal(first.type, "welcome");
    assert.equal(first.playerId, player.id);
    assert.equal(first.protocolVersion, PROTOCOL_VERSION);
    ws.close();
  });

  it("admits a browser's token in the query string from an allowed origin", async () => {
    const { token } = await signedIn();
    const { ws, first } = await connect({ origin: ALLOWED_ORIGIN }, `?access_token=${token}`);
    assert.equal(first.type, "welcome");
    ws.close();
  });

  it("refuses an upgrade without a token (401), with a bad token (401) and from another origin (403)", async () => {
    const { token } = await signedIn();
    await assert.rejects(connect({}), { status: 401 });
    await assert.rejects(connect({ authorization: "Bearer not.a.token" }), { status: 401 });
    await assert.rejects(connect({ authorization: `Bearer ${token}`, origin: "https://evil.example" }), { status: 403 });
  });

  it("refuses a token whose session was revoked", async () => {
    const { token, session, player } = await signedIn();
    await revokeSession(db.pool, session.id, player.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await assert.rejects(connect({ authorization: `Bearer ${token}` }), { status: 401 });
  });

  it("closes a live connection within a second of its session being revoked", async () => {
    const { token, session, player } = await signedIn();
    const { ws } = await connect({ authorization: `Bearer ${token}` });
    const closing = closed(ws);
    await revokeSession(db.pool, session.id, player.id);
    const { code, ms } = await closing;
    assert.equal(code, closeCodes.SESSION_REVOKED);
    assert.ok(ms < 1_000, `closed after ${ms} ms`);
  });

  it("answers a ping with its sequence number and a malformed message with an error", async () => {
    const { token } = await signedIn();
    const { ws } = await connect({ authorization: `Bearer ${token}` });
    const next = () => new Promise<Record<string, unknown>>((resolve) => ws.once("message", (data) => resolve(JSON.parse(data.toString()))));
    ws.send(JSON.stringify({ type: "ping", seq: 7 }));
    assert.deepEqual({ ...(await next()), serverTimeMs: 0 }, { type: "pong", seq: 7, serverTimeMs: 0 });
    ws.send("{not json");
    assert.equal((await next()).code, "VALIDATION_FAILED");
    ws.send(JSON.stringify({ type: "ping", seq: 8, extra: true }));
    assert.deepEqual(await next(), { type: "error", seq: 8, code: "VALIDATION_FAILED", message: "not a valid message" });
    ws.close();
  });

  it("closes a connection that sends too much, too fast, or too big", async () => {
    const { token } = await signedIn();
    const flood = await connect({ authorization: `Bearer ${token}` });
    const floodClosed = closed(flood.ws);
    for (let i = 0; i < 10; i++) flood.ws.send(JSON.stringify({ type: "ping", seq: i }));
    assert.equal((await floodClosed).code, closeCodes.RATE_LIMITED);

    const big = await connect({ authorization: `Bearer ${token}` });
    const bigClosed = closed(big.ws);
    big.ws.send("x".repeat(2_048));
    assert.equal((await bigClosed).code, 1009, "ws closes with 1009 (message too big)");
  });
});

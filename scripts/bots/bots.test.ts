/**
 * A smoke run of `npm run bots`: the API and the game server in this process, on a test database, and
 * four bots that sign in over HTTP, claim their starter packs and play ranked matches at full speed
 * for a few seconds. The server keeps its default message limit (20 a second per connection), so a bot
 * that broke it would be closed and counted as an error. Then a tiny run of `npm run bench:ws` (its
 * servers and load generator in child processes) on a database of its own. No timing is asserted.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { serve } from "@hono/node-server";
import { createTestApp } from "../../api/src/testing/test-app.ts";
import { createLogger } from "../../core/src/logging/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";
import { startGameServer, type GameServer } from "../../game-server/src/game-server.ts";
import { runWsBench } from "../bench/ws.ts";
import { runBots } from "./run.ts";

describe("the bots", () => {
  let db: TestDatabase;
  let testApp: Awaited<ReturnType<typeof createTestApp>>;
  let api: Server;
  let apiUrl: string;
  let game: GameServer;

  before(async () => {
    db = await createTestDatabase("bots");
    testApp = await createTestApp({ pool: db.pool, rpcUrl: "http://127.0.0.1:9", chainId: 31337 });
    api = serve({ fetch: testApp.app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
    await new Promise((resolve) => api.once("listening", resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    game = await startGameServer({
      pool: db.pool,
      tokens: testApp.tokens,
      logger: createLogger("bots-test", "silent"),
      ownership: testApp.ownership,
      checkHealth: async () => ({ ok: true }) as never,
      port: 0,
      hostname: "127.0.0.1",
      allowedOrigins: [],
      matchTickIntervalMs: 50,
    });
  });

  after(async () => {
    await game?.close();
    await new Promise((resolve) => api?.close(resolve));
    await testApp?.stop();
    await db?.drop();
  });

  it("sign in over HTTP, claim their decks and finish ranked matches without an error", async () => {
    const result = await runBots({ apiUrl, wsUrl: game.wsUrl, players: 4, durationSeconds: 8, paceMs: [0, 0] });
    assert.deepEqual(result.errorSamples, []);
    assert.equal(result.errors, 0);
    assert.ok(result.matchesFinished >= 1, `finished ${result.matchesFinished} matches in ${result.actions} actions`);
    assert.ok(result.p99Ms !== null && result.messagesPerSecond > 0);
    const ended = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM game.battles WHERE mode = 'ranked' AND status = 'ended'`);
    assert.ok(Number(ended.rows[0]!.n) >= result.matchesFinished, "every finished match is stored as ended");
  });

  it("bench:ws runs for a moment and produces its figures", async () => {
    const benchDb = await createTestDatabase("bench_ws");
    try {
      const result = await runWsBench({ databaseUrl: benchDb.url, players: 4, pacedSeconds: 1, saturationPlayers: 4, saturationSeconds: 1, rounds: 1 });
      assert.equal(result.errors + result.saturation.errors, 0);
      for (const [name, value] of Object.entries({ ratio: result.ratio, ours: result.saturation.oursActionsPerSecond, bare: result.saturation.bareMessagesPerSecond })) {
        assert.ok(Number.isFinite(value) && value > 0, `${name} is a positive number: ${value}`);
      }
    } finally {
      await benchDb.drop();
    }
  });
});

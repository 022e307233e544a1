/**
 * `npm run bench:farm`: the farming loop under load, beside a bare Hono + pg server doing one indexed
 * single-row update per request, in one run.
 *
 * It starts an embedded Postgres (fsync off: both sides pay the same) and serves the real API over HTTP
 * with the game clock sped up (crops ripen at once) and no chain (the starter farm; ownership lookups
 * find no indexer and fall back to it, as they would before the indexer starts).
 * (a) Paced: PLAYERS (200) signed-in players each act once a second, looping plant → harvest → craft
 *     (when 10 grain are in) → sell grain; the baseline's as many clients each update once a second.
 *     p50/p99 per endpoint. Rounds alternate ours and bare.
 * (b) Saturation: WORKERS (64) players loop plant → harvest as fast as they can; harvests per second
 *     against the baseline's updates per second with as many clients.
 * The load generator runs in this process, on the same 2 cores as the servers; CPU time per request
 * is the server process's (both servers share this process, measured per phase).
 * Environment: PLAYERS, PACED_SECONDS (60, split over ROUNDS), SATURATION_SECONDS (5 a round), WORKERS,
 * ROUNDS (3). The last line is JSON.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startEmbeddedPostgres } from "../../db/src/embedded-postgres.ts";
import { ensureDatabase } from "../../db/src/ensure-database.ts";
import { migrateUp } from "../../db/src/migrate.ts";
import { createPool } from "../../db/src/pool.ts";
import { findFreePort } from "../../db/src/testing/free-port.ts";
import { createTestApp } from "../../api/src/testing/test-app.ts";
import { login } from "../../api/src/testing/siwe-client.ts";
import { startBareUpdateServer } from "./lib/bare-update-server.ts";
import { median, quantile, round } from "./lib/stats.ts";

const players = Number(process.env.PLAYERS ?? 200);
const rounds = Number(process.env.ROUNDS ?? 3);
const pacedSeconds = Number(process.env.PACED_SECONDS ?? 60) / rounds;
const saturationSeconds = Number(process.env.SATURATION_SECONDS ?? 5);
const workers = Number(process.env.WORKERS ?? 64);
const say = (line: string) => process.stdout.write(`${line}\n`);

type Latencies = Map<string, number[]>;
const record = (latencies: Latencies, endpoint: string, ms: number) => {
  const list = latencies.get(endpoint) ?? [];
  list.push(ms);
  latencies.set(endpoint, list);
};

/** Sends one request and records its latency under `endpoint`; returns status and body. */
async function timed(latencies: Latencies, endpoint: string, url: string, init: RequestInit, errors: { count: number }) {
  const started = performance.now();
  try {
    const response = await fetch(url, init);
    const body = (await response.json()) as Record<string, unknown>;
    record(latencies, endpoint, performance.now() - started);
    if (response.status >= 500) errors.count += 1;
    return { status: response.status, body };
  } catch {
    errors.count += 1;
    return { status: 0, body: {} };
  }
}

const pgDir = await mkdtemp(join(tmpdir(), "harvest-bench-farm-"));
await chmod(pgDir, 0o755);
const postgres = await startEmbeddedPostgres({ dataDir: join(pgDir, "data"), port: await findFreePort(), settings: { fsync: "off", max_connections: "200" } });
const databaseUrl = await ensureDatabase(postgres.url, "bench");
await migrateUp(databaseUrl);
const pool = createPool(databaseUrl, { max: 20 });
const testApp = await createTestApp({ pool, rpcUrl: "http://127.0.0.1:1", chainId: 31337, gameTimeScale: 1_000_000, rateLimitMultiplier: 100_000 });
const server = serve({ fetch: testApp.app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
await new Promise((resolve) => server.once("listening", resolve));
const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const bare = await startBareUpdateServer(pool, Math.max(players, workers));

try {
  say(`signing in ${Math.max(players, workers)} players …`);
  const sessions: Awaited<ReturnType<typeof login>>[] = [];
  for (let i = 0; i < Math.max(players, workers); i++) sessions.push(await login(testApp.app, privateKeyToAccount(generatePrivateKey())));
  // Plenty of seeds, so the loop never waits on the vendor.
  for (const session of sessions) {
    await fetch(`${api}/v1/inventory`, { headers: { authorization: `Bearer ${session.token}` } });
  }
  await pool.query(`INSERT INTO game.seeds (player_id, crop, genome) SELECT f.player_id, 'wheat', '{"vigor":8,"yield":8,"hue":8,"resilience":8}' FROM game.farms f, generate_series(1, 400)`);
  const seedQueues = new Map<string, string[]>();
  for (const row of (await pool.query<{ player_id: string; ids: string[] }>(`SELECT player_id, array_agg(id ORDER BY id) AS ids FROM game.seeds GROUP BY player_id`)).rows) seedQueues.set(row.player_id, row.ids);
  const playerIds = (await pool.query<{ id: string; address: string }>(`SELECT id, address FROM game.players ORDER BY id`)).rows;
  const seedsOf = (index: number) => seedQueues.get(playerIds[index]!.id)!;

  const authed = (index: number, method = "GET", body?: unknown): RequestInit => ({
    method,
    headers: { authorization: `Bearer ${sessions[index]!.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

  /** One player's next step of the loop. */
  async function step(index: number, state: { planted: boolean; harvests: number }, latencies: Latencies, errors: { count: number }) {
    if (!state.planted) {
      const seedId = seedsOf(index).shift()!;
      const result = await timed(latencies, "plant", `${api}/v1/farm/plots/starter:0/plant`, authed(index, "POST", { seedId }), errors);
      state.planted = result.status === 200;
      return;
    }
    const result = await timed(latencies, "harvest", `${api}/v1/farm/plots/starter:0/harvest`, authed(index, "POST"), errors);
    state.planted = false;
    if (result.status !== 200) return;
    state.harvests += 1;
    if (state.harvests % 3 === 0) await timed(latencies, "craft", `${api}/v1/crafts`, authed(index, "POST", { recipe: "haystack-squire" }), errors);
    if (state.harvests % 5 === 0) await timed(latencies, "sell", `${api}/v1/market/sell`, authed(index, "POST", { kind: "grain", quality: 1, quantity: 1 }), errors);
  }

  async function paced(side: "ours" | "bare", seconds: number) {
    const latencies: Latencies = new Map();
    const errors = { count: 0 };
    const deadline = performance.now() + seconds * 1000;
    const cpu = process.cpuUsage();
    let requests = 0;
    await Promise.all(
      Array.from({ length: players }, async (_, index) => {
        const state = { planted: false, harvests: 0 };
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 1000));
        while (performance.now() < deadline) {
          const started = performance.now();
          if (side === "ours") await step(index, state, latencies, errors);
          else await timed(latencies, "update", `${bare.url}/counters/${index + 1}`, { method: "POST" }, errors);
          requests += 1;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - started))));
        }
      }),
    );
    const usage = process.cpuUsage(cpu);
    return { latencies, errors: errors.count, cpuMsPerRequest: (usage.user + usage.system) / 1000 / Math.max(1, requests) };
  }

  async function saturate(side: "ours" | "bare", seconds: number) {
    const latencies: Latencies = new Map();
    const errors = { count: 0 };
    const deadline = performance.now() + seconds * 1000;
    let count = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, index) => {
        const state = { planted: false, harvests: 0 };
        while (performance.now() < deadline) {
          if (side === "ours") {
            const before = state.harvests;
            await step(index, { ...state, harvests: 1 }, latencies, errors).then(() => undefined);
            state.planted = !state.planted;
            if (latencies.get("harvest")?.length !== undefined && state.harvests === before && !state.planted) count += 1;
          } else {
            await timed(latencies, "update", `${bare.url}/counters/${index + 1}`, { method: "POST" }, errors);
            count += 1;
          }
        }
      }),
    );
    const perSecond = (side === "ours" ? latencies.get("harvest")?.length ?? 0 : count) / seconds;
    return { perSecond, actionsPerSecond: [...latencies.values()].reduce((sum, list) => sum + list.length, 0) / seconds, errors: errors.count };
  }

  const pacedRounds: { ours: Awaited<ReturnType<typeof paced>>[]; bare: Awaited<ReturnType<typeof paced>>[] } = { ours: [], bare: [] };
  for (let r = 0; r < rounds; r++) {
    for (const side of ["ours", "bare"] as const) {
      const result = await paced(side, pacedSeconds);
      pacedRounds[side].push(result);
      const summary = [...result.latencies].map(([endpoint, list]) => `${endpoint} p50 ${round(quantile(list, 0.5))} p99 ${round(quantile(list, 0.99))} ms (${list.length})`).join("; ");
      say(`paced round ${r + 1} ${side}: ${summary}; errors ${result.errors}`);
    }
  }
  const merged = (side: "ours" | "bare") => {
    const all: Latencies = new Map();
    for (const result of pacedRounds[side]) for (const [endpoint, list] of result.latencies) for (const ms of list) record(all, endpoint, ms);
    return Object.fromEntries([...all].map(([endpoint, list]) => [endpoint, { p50Ms: round(quantile(list, 0.5)), p99Ms: round(quantile(list, 0.99)), requests: list.length }]));
  };

  const saturation: { ours: number[]; bare: number[]; oursActions: number[] } = { ours: [], bare: [], oursActions: [] };
  for (let r = 0; r < rounds; r++) {
    const ours = await saturate("ours", saturationSeconds);
    const baseline = await saturate("bare", saturationSeconds);
    saturation.ours.push(ours.perSecond);
    saturation.oursActions.push(ours.actionsPerSecond);
    saturation.bare.push(baseline.perSecond);
    say(`saturation round ${r + 1}: ours ${round(ours.perSecond, 0)} harvests/s (${round(ours.actionsPerSecond, 0)} plant+harvest requests/s), bare ${round(baseline.perSecond, 0)} updates/s`);
  }

  const ours = merged("ours");
  const baseline = merged("bare");
  const harvestsPerSecond = median(saturation.ours);
  const updatesPerSecond = median(saturation.bare);
  const ratio = round(harvestsPerSecond / updatesPerSecond, 3);
  const actionRatio = round(median(saturation.oursActions) / updatesPerSecond, 3);
  say("");
  say(`(a) ${players} players, once a second: ${Object.entries(ours).map(([e, s]) => `${e} p50 ${s.p50Ms} / p99 ${s.p99Ms} ms`).join("; ")}; bare update p50 ${baseline.update?.p50Ms} / p99 ${baseline.update?.p99Ms} ms`);
  say(`(b) harvests/s ${round(harvestsPerSecond, 0)} vs bare updates/s ${round(updatesPerSecond, 0)}: ratio ${ratio} (goal >= 0.5); counting plants too: ${actionRatio}`);
  say(`    CPU per request: ours ${round(median(pacedRounds.ours.map((r) => r.cpuMsPerRequest)), 3)} ms, bare ${round(median(pacedRounds.bare.map((r) => r.cpuMsPerRequest)), 3)} ms (servers and load generator share this process)`);
  const errors = pacedRounds.ours.reduce((sum, r) => sum + r.errors, 0);
  say(JSON.stringify({ benchmark: "farm", players, rounds, p99Ms: ours.harvest?.p99Ms ?? null, endpoints: ours, bare: baseline, harvestsPerSecond: round(harvestsPerSecond, 1), updatesPerSecond: round(updatesPerSecond, 1), ratio, actionRatio, errors }));
} finally {
  await testApp.stop();
  await new Promise((resolve) => server.close(resolve));
  await bare.close();
  await pool.end();
  await postgres.stop();
  await rm(pgDir, { recursive: true, force: true });
}

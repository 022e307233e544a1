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
 * The load generator is a child process (scripts/bench/farm-load.ts) on the same 2 cores; CPU time per
 * request is this process's (the servers'), measured per phase.
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
import { fork } from "node:child_process";
import type { FarmLoadJob, FarmLoadResult } from "./farm-load.ts";
import { createBareApi, prepareBareCounters } from "./bare-api.ts";
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
await prepareBareCounters(pool, Math.max(players, workers));
const bareServer = serve({ fetch: createBareApi(pool).fetch, port: 0, hostname: "127.0.0.1" }) as Server;
await new Promise((resolve) => bareServer.once("listening", resolve));
const bare = { url: `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}` };

try {
  say(`signing in ${Math.max(players, workers)} players …`);
  const sessions: Awaited<ReturnType<typeof login>>[] = [];
  for (let i = 0; i < Math.max(players, workers); i++) sessions.push(await login(testApp.app, privateKeyToAccount(generatePrivateKey())));
  // Plenty of seeds, so the loop never waits on the vendor.
  for (const session of sessions) {
    await fetch(`${api}/v1/inventory`, { headers: { authorization: `Bearer ${session.token}` } });
  }
  await pool.query(`INSERT INTO game.seeds (player_id, crop, genome) SELECT f.player_id, 'wheat', '{"vigor":8,"yield":8,"hue":8,"resilience":8}' FROM game.farms f, generate_series(1, 1500)`);
  const seedQueues = new Map<string, string[]>();
  for (const row of (await pool.query<{ player_id: string; ids: string[] }>(`SELECT player_id, array_agg(id ORDER BY id) AS ids FROM game.seeds GROUP BY player_id`)).rows) seedQueues.set(row.player_id, row.ids);
  const playerIds = (await pool.query<{ id: string; address: string }>(`SELECT id, address FROM game.players ORDER BY id`)).rows;
  const seedsOf = (index: number) => seedQueues.get(playerIds[index]!.id)!;

  // Each phase gets seeds no earlier phase handed out (a child process cannot hand back what it used).
  const loadPlayers = (count: number, perPlayer: number) =>
    sessions.slice(0, count).map((session, index) => ({ token: session.token, seedIds: seedsOf(index).splice(0, perPlayer) }));

  /** Runs one phase in a child process (the load generator must not share the server's event loop). */
  function runLoad(job: Omit<FarmLoadJob, "apiUrl" | "bareUrl">): Promise<FarmLoadResult> {
    const child = fork(new URL("./farm-load.ts", import.meta.url), [], { execArgv: [], serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
    return new Promise((resolve, reject) => {
      child.once("message", (message: { ok: boolean; result?: FarmLoadResult; error?: string }) => (message.ok ? resolve(message.result!) : reject(new Error(message.error))));
      child.once("exit", (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
      child.send({ ...job, apiUrl: api, bareUrl: bare.url });
    });
  }

  async function paced(side: "ours" | "bare", seconds: number) {
    const serverCpu = process.cpuUsage();
    const result = await runLoad({ side, mode: "paced", seconds, players: loadPlayers(players, Math.ceil(seconds) * 2 + 10) });
    const usage = process.cpuUsage(serverCpu);
    const latencies: Latencies = new Map(Object.entries(result.latencies));
    return { latencies, errors: result.errors, cpuMsPerRequest: (usage.user + usage.system) / 1000 / Math.max(1, result.requests) };
  }

  async function saturate(side: "ours" | "bare", seconds: number) {
    const result = await runLoad({ side, mode: "saturate", seconds, players: loadPlayers(workers, 400) });
    const count = (endpoint: string) => result.latencies[endpoint]?.length ?? 0;
    const perSecond = (side === "ours" ? count("harvest") : count("update")) / seconds;
    return { perSecond, actionsPerSecond: Object.values(result.latencies).reduce((sum, list) => sum + list.length, 0) / seconds, errors: result.errors };
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
  say(`    server CPU per request: ours ${round(median(pacedRounds.ours.map((r) => r.cpuMsPerRequest)), 3)} ms, bare ${round(median(pacedRounds.bare.map((r) => r.cpuMsPerRequest)), 3)} ms (load generator in a child process)`);
  const errors = pacedRounds.ours.reduce((sum, r) => sum + r.errors, 0);
  say(JSON.stringify({ benchmark: "farm", players, rounds, p99Ms: ours.harvest?.p99Ms ?? null, endpoints: ours, bare: baseline, harvestsPerSecond: round(harvestsPerSecond, 1), updatesPerSecond: round(updatesPerSecond, 1), ratio, actionRatio, errors }));
} finally {
  await testApp.stop();
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => bareServer.close(resolve));
  await pool.end();
  await postgres.stop();
  await rm(pgDir, { recursive: true, force: true });
}

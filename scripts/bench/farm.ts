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
 * (b) Saturation, harvests only: WORKERS (64) concurrent loops harvest as fast as they can; harvests
 *     per second (answered 200) against the baseline's updates per second with as many clients. Set-up,
 *     untimed: HARVEST_PLAYERS (WORKERS × 256) players are created directly in the database (a player
 *     row, a farm, a session row and an access token from the real token service, instead of a SIWE
 *     login each: thousands of logins would take minutes and are not what is measured), and before each
 *     round every one of their starter plots (starter:0..3) is filled with a ready crop by SQL. Worker i
 *     walks players i, i + WORKERS, … and harvests each one's four plots in turn, so no two workers
 *     touch one player; a worker that runs out of ripe plots is reported ("exhausted").
 *     Secondary figure: the WORKERS signed-in players loop plant → harvest on starter:0 (two requests
 *     a harvest), as the bench measured before.
 * The load generator is a child process (scripts/bench/farm-load.ts) on the same 2 cores; its CPU use,
 * this process's (the servers') and the machine's are printed per saturation phase, so a saturated load
 * generator would show. CPU time per request is this process's, measured per paced phase.
 * Environment: PLAYERS, PACED_SECONDS (60, split over ROUNDS), SATURATION_SECONDS (5 a round), WORKERS,
 * HARVEST_PLAYERS, ROUNDS (3). The last line is JSON: p99Ms is the paced harvest's p99, ratio the
 * harvest-only saturation over the bare updates per second (actionRatio: plant + harvest requests of the
 * loop over the same).
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
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
// Enough ripe plots (four each) that no worker runs out inside a window at the rates seen here: a
// worker that does makes the figure a lower bound (the report says so).
const harvestPlayers = Number(process.env.HARVEST_PLAYERS ?? workers * 256);
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

  /** CPU time (ms) of the embedded Postgres: the postmaster and its backends (Linux /proc; 0 elsewhere). */
  const postmasterPid = Number((await readFile(join(pgDir, "data", "postmaster.pid"), "utf8").catch(() => "0")).split("\n")[0]);
  async function postgresCpuMs(): Promise<number> {
    const ticks = await Promise.all(
      (await readdir("/proc").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name)).map(async (pid) => {
        const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // state, ppid, … utime (12), stime (13)
        return Number(pid) === postmasterPid || Number(fields[1]) === postmasterPid ? Number(fields[11]) + Number(fields[12]) : 0;
      }),
    );
    return (ticks.reduce((a, b) => a + b, 0) * 1000) / 100; // USER_HZ is 100 on Linux
  }

  /**
   * Starts measuring; the returned function gives the machine's busy share (0..1 of all cores, the
   * load generator's start-up included), and this process's and Postgres's CPU over `wallMs` (the
   * load's duration) in cores.
   */
  const cpuMeter = async () => {
    const machine = () => cpus().reduce((acc, cpu) => ({ idle: acc.idle + cpu.times.idle, total: acc.total + Object.values(cpu.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 });
    const [m0, p0, pg0] = [machine(), process.cpuUsage(), await postgresCpuMs()];
    return async (wallMs: number) => {
      const [m1, p1, pg1] = [machine(), process.cpuUsage(p0), await postgresCpuMs()];
      return { machineBusy: 1 - (m1.idle - m0.idle) / Math.max(1, m1.total - m0.total), server: (p1.user + p1.system) / 1000 / wallMs, postgres: (pg1 - pg0) / wallMs };
    };
  };
  const loadShare = (result: FarmLoadResult) => result.cpuMs / result.wallMs;
  const percent = (share: number) => `${round(share * 100, 0)}%`;

  /** The plant → harvest loop of the WORKERS signed-in players (secondary figure). */
  async function saturateLoop(seconds: number) {
    const result = await runLoad({ side: "ours", mode: "saturate", seconds, players: loadPlayers(workers, 400) });
    return { harvestsPerSecond: (result.succeeded.harvest ?? 0) / seconds, requestsPerSecond: Object.values(result.latencies).reduce((sum, list) => sum + list.length, 0) / seconds, errors: result.errors };
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

  // (b)'s players, made directly in the database (see the header), and their plots, refilled each round.
  say(`creating ${harvestPlayers} players for the harvest saturation …`);
  const { rows: harvesters } = await pool.query<{ id: string; address: string }>(
    `INSERT INTO game.players (address) SELECT '0xbe' || lpad(to_hex(i), 38, '0') FROM generate_series(1, $1) AS i RETURNING id, address`,
    [harvestPlayers],
  );
  const harvesterIds = harvesters.map((h) => h.id);
  await pool.query(`INSERT INTO game.farms (player_id, coins) SELECT unnest($1::bigint[]), 100`, [harvesterIds]);
  const { rows: harvesterSessions } = await pool.query<{ id: string; player_id: string; address: string; expires_at: Date }>(
    `INSERT INTO game.sessions (id, player_id, address, refresh_token_hash, expires_at)
     SELECT gen_random_uuid(), p.id, p.address, sha256(convert_to(gen_random_uuid()::text, 'UTF8')), now() + interval '1 day'
       FROM game.players p WHERE p.id = ANY($1::bigint[]) ORDER BY p.id
     RETURNING id, player_id, address, expires_at`,
    [harvesterIds],
  );
  const harvestLoad: FarmLoadJob["players"] = [];
  for (const row of harvesterSessions) {
    const { token } = await testApp.tokens.issueAccessToken({ id: row.id, playerId: row.player_id, address: row.address, expiresAt: row.expires_at });
    harvestLoad.push({ token, seedIds: [] });
  }
  async function fillPlots(pass: number) {
    await pool.query(`DELETE FROM game.plantings WHERE planter_id = ANY($1::bigint[])`, [harvesterIds]);
    await pool.query(
      `INSERT INTO game.plantings (plot_key, field_key, planter_id, crop, genome, planted_at_ms, ready_at_ms, random_seed)
       SELECT 'starter:' || p || ':' || i, 'starter:' || p, p, 'wheat', '{"vigor":8,"yield":8,"hue":8,"resilience":8}', 0, 0,
              '0x' || encode(sha256(convert_to(p || ':' || i || ':' || $2::text, 'UTF8')), 'hex')
         FROM unnest($1::bigint[]) AS p, generate_series(0, 3) AS i`,
      [harvesterIds, String(pass)],
    );
    await pool.query(`VACUUM ANALYZE game.plantings`);
  }

  /** Harvest-only saturation (ours) or the baseline's updates, WORKERS at once. */
  async function saturate(side: "ours" | "bare", seconds: number) {
    const meter = await cpuMeter();
    const result = await runLoad({ side, mode: "harvest", seconds, players: side === "ours" ? harvestLoad : [], workers });
    const cpu = await meter(result.wallMs);
    const perSecond = (side === "ours" ? (result.succeeded.harvest ?? 0) : (result.succeeded.update ?? 0)) / seconds;
    const failed = side === "ours" ? (result.latencies.harvest?.length ?? 0) - (result.succeeded.harvest ?? 0) : 0;
    return { perSecond, failed, errors: result.errors, exhausted: result.exhausted, load: loadShare(result), ...cpu };
  }

  const saturation: { ours: number[]; bare: number[]; loop: number[]; loopRequests: number[] } = { ours: [], bare: [], loop: [], loopRequests: [] };
  let saturationErrors = 0;
  let exhaustedWorkers = 0;
  for (let r = 0; r < rounds; r++) {
    await fillPlots(r);
    const ours = await saturate("ours", saturationSeconds);
    const baseline = await saturate("bare", saturationSeconds);
    const loop = await saturateLoop(saturationSeconds);
    saturation.ours.push(ours.perSecond);
    saturation.bare.push(baseline.perSecond);
    saturation.loop.push(loop.harvestsPerSecond);
    saturation.loopRequests.push(loop.requestsPerSecond);
    saturationErrors += ours.errors + ours.failed + loop.errors;
    exhaustedWorkers += ours.exhausted;
    const cpu = (side: typeof ours) => `CPU in cores: server ${percent(side.server)}, Postgres ${percent(side.postgres)}, load generator ${percent(side.load)}; machine ${percent(side.machineBusy)} busy`;
    say(`saturation round ${r + 1}: ours ${round(ours.perSecond, 0)} harvests/s (${cpu(ours)}${ours.failed ? `; ${ours.failed} not 200` : ""}${ours.exhausted ? `; ${ours.exhausted} workers ran out of plots` : ""})`);
    say(`                    bare ${round(baseline.perSecond, 0)} updates/s (${cpu(baseline)})`);
    say(`                    plant → harvest loop: ${round(loop.harvestsPerSecond, 0)} harvests/s, ${round(loop.requestsPerSecond, 0)} requests/s`);
  }

  const ours = merged("ours");
  const baseline = merged("bare");
  const harvestsPerSecond = median(saturation.ours);
  const updatesPerSecond = median(saturation.bare);
  const ratio = round(harvestsPerSecond / updatesPerSecond, 3);
  const loopHarvestsPerSecond = median(saturation.loop);
  const actionRatio = round(median(saturation.loopRequests) / updatesPerSecond, 3);
  say("");
  say(`(a) ${players} players, once a second: ${Object.entries(ours).map(([e, s]) => `${e} p50 ${s.p50Ms} / p99 ${s.p99Ms} ms`).join("; ")}; bare update p50 ${baseline.update?.p50Ms} / p99 ${baseline.update?.p99Ms} ms`);
  say(`(b) harvests/s ${round(harvestsPerSecond, 0)} vs bare updates/s ${round(updatesPerSecond, 0)}: ratio ${ratio} (goal >= 0.5)`);
  if (exhaustedWorkers > 0) say(`    (workers ran out of ripe plots before the window closed: harvests/s is a lower bound; raise HARVEST_PLAYERS)`);
  say(`    plant → harvest loop: ${round(loopHarvestsPerSecond, 0)} harvests/s (${round(loopHarvestsPerSecond / updatesPerSecond, 3)}); its plant + harvest requests/s over bare updates/s: ${actionRatio}`);
  say(`    server CPU per request: ours ${round(median(pacedRounds.ours.map((r) => r.cpuMsPerRequest)), 3)} ms, bare ${round(median(pacedRounds.bare.map((r) => r.cpuMsPerRequest)), 3)} ms (load generator in a child process)`);
  const errors = pacedRounds.ours.reduce((sum, r) => sum + r.errors, 0);
  say(
    JSON.stringify({
      benchmark: "farm",
      players,
      rounds,
      p99Ms: ours.harvest?.p99Ms ?? null,
      endpoints: ours,
      bare: baseline,
      harvestsPerSecond: round(harvestsPerSecond, 1),
      updatesPerSecond: round(updatesPerSecond, 1),
      ratio,
      loopHarvestsPerSecond: round(loopHarvestsPerSecond, 1),
      actionRatio,
      errors,
      saturationErrors,
      exhaustedWorkers,
    }),
  );
} finally {
  await testApp.stop();
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => bareServer.close(resolve));
  await pool.end();
  await postgres.stop();
  await rm(pgDir, { recursive: true, force: true });
}

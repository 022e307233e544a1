/**
 * `npm run bench:ws`: the game server's WebSocket battles under load, beside a bare `ws` server that
 * answers each message after one Postgres insert (scripts/bench/bare-ws.ts), in one run.
 *
 * It starts an embedded Postgres (fsync off: both sides pay the same), migrates it, and runs three
 * child processes so that no two share an event loop (they do share the machine's cores): ONE game
 * server (`startGameServer`, pool of 10 like the service, default turn time), the bare server (same
 * pool size), both with the game server's node flags (game-server/src/node-flags.ts), and, per
 * phase, the load generator (scripts/bench/ws-load.ts, every client in one process,
 * permessage-deflate off). The servers' and the load generator's CPU are printed per phase.
 *
 * Set-up, untimed: the players are made directly in the database (a player row, a session row, an
 * access token from the real token service, and the starter pack with its deck from the deck service),
 * not by a SIWE login each (thousands of logins would take minutes and are not what is measured;
 * `npm run bots` signs in for real). Connecting the bots and the matchmaker pairing them is set-up too
 * (its time is printed); the window opens once every bot is in a battle, and after it each bot
 * concedes (ratings settle) and disconnects. Before each phase, also untimed, the database is
 * vacuumed and analyzed (as pgbench does), so that no window pays for the previous phases' maintenance.
 * (a) Paced: PLAYERS (2,000) bots in PLAYERS / 2 ranked battles; each waits 1 to 3 s (at random)
 *     before each of its actions. Errors and action → answer latency (the battle.events carrying its seq) (p50, p99). The bare side:
 *     as many clients each sending a message 1 to 3 s after its previous answer. PACED_SECONDS (60)
 *     split over ROUNDS (3), sides alternating.
 * (b) Saturation: SATURATION_PLAYERS (1,200) bots in 600 battles acting as soon as their turn allows
 *     (a finished match queues again), against as many bare clients sending as soon as each answer is
 *     back; SATURATION_SECONDS (10) a round. Ratio: our actions per second over bare messages per
 *     second (medians of the rounds). Only the player whose turn it is can act, so about half the
 *     bots are waiting at any moment, while every bare client sends; and each of our actions sends
 *     two messages (battle.events to both players, the actor's carrying its seq), the bare one. 1,200 because
 *     ours still gained from 300 to 600 to 1,200 connections (bigger group commits) and was flat to
 *     2,000, while the baseline was flat from 300 on (docs/bots.md).
 * The game server's per-connection limit (20 messages a second; close 4429) would stop a bot that acts
 * as fast as its answers come back long before the server is saturated, so this bench raises it to
 * SERVER_MAX_MESSAGES_PER_SECOND (1,000); the bots keep under whatever it is.
 * The last line is JSON: errors and p99Ms from (a), ratio from (b), and the raw figures.
 */
import { fork } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createTokenService } from "../../db/src/auth/token-service.ts";
import { openSession } from "../../db/src/auth/sessions.ts";
import { createDeckService } from "../../db/src/decks/deck-service.ts";
import { startEmbeddedPostgres } from "../../db/src/embedded-postgres.ts";
import { ensureDatabase } from "../../db/src/ensure-database.ts";
import { migrateUp } from "../../db/src/migrate.ts";
import { createOwnershipReader } from "../../db/src/ownership/ownership-reader.ts";
import { findOrCreatePlayer } from "../../db/src/players/players.ts";
import { createPool } from "../../db/src/pool.ts";
import { findFreePort } from "../../db/src/testing/free-port.ts";
import { mapWithConcurrency } from "../../core/src/async/map-with-concurrency.ts";
import { prepareBareWsTable } from "./bare-ws.ts";
import { median, quantile, round } from "./lib/stats.ts";
import { forkWsServer, type WsServerHandle } from "./lib/ws-server-child.ts";
import type { WsLoadJob, WsLoadResult } from "./ws-load.ts";

export type WsBenchOptions = {
  /** A migrated database to use; without it an embedded Postgres (fsync off) is started. */
  databaseUrl?: string;
  players?: number;
  pacedSeconds?: number;
  saturationPlayers?: number;
  saturationSeconds?: number;
  rounds?: number;
  serverMaxMessagesPerSecond?: number;
  setupTimeoutSeconds?: number;
  log?: (line: string) => void;
};

type Side = "ours" | "bare";
/** One phase of one side: the load generator's figures, and the CPU of the server and the machine in the window. */
type Phase = WsLoadResult & { serverCpuMs: number; machineBusy: number; commits: number; maintenance: Maintenance; vacuumMs: number };
/** Postgres's own work that may fall into one window and not another: checkpoints, and autovacuum and autoanalyze runs. */
type Maintenance = { checkpoints: number; autovacuums: number };

const TOKEN_SECRET = "bench-ws-secret-0123456789abcdef0123456789";
const percent = (share: number) => `${round(share * 100, 0)}%`;
const cores = cpus().length;

/** The machine's busy share (0..1 of all cores) since the returned function was made. */
function machineMeter() {
  const read = () => cpus().reduce((acc, cpu) => ({ idle: acc.idle + cpu.times.idle, total: acc.total + Object.values(cpu.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 });
  const start = read();
  return () => {
    const end = read();
    return 1 - (end.idle - start.idle) / Math.max(1, end.total - start.total);
  };
}

/** The statements that took Postgres the most time in the run, with their calls and rows. */
async function printStatements(databaseUrl: string, log: (line: string) => void) {
  const pool = createPool(databaseUrl, { max: 1, applicationName: "bench-ws-statements" });
  try {
    await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    const { rows } = await pool.query<{ calls: string; rows: string; ms: number; plan_ms: number; query: string }>(
      `SELECT calls, rows, total_exec_time AS ms, total_plan_time AS plan_ms, regexp_replace(query, '\\s+', ' ', 'g') AS query
         FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 20`,
    );
    log("busiest statements (calls, rows, executing ms, planning ms):");
    for (const row of rows) log(`  ${row.calls}\t${row.rows}\t${Math.round(row.ms)}\t${Math.round(row.plan_ms)}\t${row.query.slice(0, 160)}`);
  } finally {
    await pool.end();
  }
}

export async function runWsBench(options: WsBenchOptions = {}) {
  const {
    players = 2_000,
    pacedSeconds = 60,
    saturationPlayers = 1_200,
    saturationSeconds = 10,
    rounds = 3,
    serverMaxMessagesPerSecond = 1_000,
    setupTimeoutSeconds = 120,
    log = () => {},
  } = options;
  // BENCH_STATEMENTS=1: Postgres counts every statement (pg_stat_statements) and the busiest are printed at the end.
  const statements = options.databaseUrl === undefined && process.env.BENCH_STATEMENTS === "1";
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    let databaseUrl = options.databaseUrl;
    if (databaseUrl === undefined) {
      const pgDir = await mkdtemp(join(tmpdir(), "harvest-bench-ws-"));
      cleanup.unshift(() => rm(pgDir, { recursive: true, force: true }));
      await chmod(pgDir, 0o755);
      const postgres = await startEmbeddedPostgres({ dataDir: join(pgDir, "data"), port: await findFreePort(), settings: { fsync: "off", max_connections: "200", ...(statements ? { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track_planning": "on" } : {}) } });
      cleanup.unshift(() => postgres.stop());
      databaseUrl = await ensureDatabase(postgres.url, "bench_ws");
      await migrateUp(databaseUrl);
    }
    if (statements) cleanup.unshift(() => printStatements(databaseUrl!, log));
    const pool = createPool(databaseUrl, { max: 16, applicationName: "bench-ws-setup" });
    cleanup.unshift(() => pool.end());
    await prepareBareWsTable(pool);

    // Set-up, untimed (see the header): players, sessions, tokens and starter decks.
    const tokens = createTokenService({ pool, secret: TOKEN_SECRET, accessTtlSeconds: 6 * 3_600 });
    const decks = createDeckService({ pool, ownership: createOwnershipReader({ pool, viewsSchema: "chain" }) });
    const makePlayers = async (count: number, prefix: number) => {
      const made = await mapWithConcurrency(Array.from({ length: count }), 16, async (_, i) => {
        const address = `0x${prefix.toString(16)}${i.toString(16).padStart(38, "0")}`;
        const row = await findOrCreatePlayer(pool, address);
        const { session } = await openSession(pool, row, 6 * 3_600_000);
        const { token } = await tokens.issueAccessToken(session);
        const pack = await decks.claimStarterPack({ playerId: row.id, address });
        return { token, deckId: pack.deck.id as string };
      });
      return made;
    };
    log(`set-up: ${players} + ${saturationPlayers} players with sessions, tokens and starter decks …`);
    const setupStarted = performance.now();
    const pacedPlayers = await makePlayers(players, 0xa1);
    const saturationLoad = await makePlayers(saturationPlayers, 0xb2);
    log(`set-up took ${round((performance.now() - setupStarted) / 1_000, 1)} s`);

    const servers: Record<Side, WsServerHandle> = {
      ours: await forkWsServer({ side: "ours", databaseUrl, tokenSecret: TOKEN_SECRET, poolMax: 10, maxMessagesPerSecond: serverMaxMessagesPerSecond }),
      bare: await forkWsServer({ side: "bare", databaseUrl, tokenSecret: TOKEN_SECRET, poolMax: 10, maxMessagesPerSecond: serverMaxMessagesPerSecond }),
    };
    cleanup.unshift(() => Promise.all([servers.ours.stop(), servers.bare.stop()]));
    log(`game server ${servers.ours.wsUrl}, bare ${servers.bare.wsUrl}; load generator in a child process`);

    let loads = 0;
    // Transactions committed in the database, so that statements per action can be compared (Postgres
    // flushes these counters about once a second, which a 10 s window absorbs); and its maintenance,
    // which lands in one side's window or the other's and explains a round that stands out.
    const databaseCounters = async () => {
      const { rows } = await pool.query<{ commits: string; checkpoints: string; autovacuums: string }>(
        `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits,
                (SELECT num_timed + num_requested FROM pg_stat_checkpointer) AS checkpoints,
                (SELECT sum(autovacuum_count + autoanalyze_count) FROM pg_stat_all_tables) AS autovacuums`,
      );
      return { commits: Number(rows[0]!.commits), checkpoints: Number(rows[0]!.checkpoints), autovacuums: Number(rows[0]!.autovacuums) };
    };
    // Before each phase, untimed, as pgbench does before its runs: VACUUM (ANALYZE) of the whole
    // database, so that the maintenance the previous phases' rows call for is not what decides the
    // next window (without it, one of ours' rounds met 18 autovacuum and autoanalyze runs in each of
    // three full runs: docs/bots.md).
    const vacuum = async () => {
      const started = performance.now();
      await pool.query("VACUUM (ANALYZE)");
      return performance.now() - started;
    };
    /** Runs one phase in a fresh load-generator process (after a vacuum); reads the server's CPU and the machine's at the window's edges. */
    async function runLoad(job: Omit<WsLoadJob, "wsUrl" | "maxMessagesPerSecond" | "setupTimeoutMs">): Promise<Phase> {
      const vacuumMs = await vacuum();
      const server = servers[job.side];
      const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`, `--cpu-prof-name=load-${job.side}-${++loads}.cpuprofile`] : [];
      const child = fork(new URL("./ws-load.ts", import.meta.url), [], { execArgv: profile, serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
      let serverStart = 0;
      let serverEnd = 0;
      let machineBusy = () => 0;
      let busy = 0;
      let countersStart = { commits: 0, checkpoints: 0, autovacuums: 0 };
      let countersEnd = countersStart;
      let windowDone = Promise.resolve();
      return new Promise((resolve, reject) => {
        child.on("message", (message: { kind: string; result?: WsLoadResult; error?: string }) => {
          if (message.kind === "window-start") {
            void Promise.all([server.cpuMs(), databaseCounters()]).then(([ms, counters]) => {
              serverStart = ms;
              countersStart = counters;
              machineBusy = machineMeter();
              child.send({ kind: "go" });
            });
          } else if (message.kind === "window-end") {
            busy = machineBusy();
            windowDone = Promise.all([server.cpuMs(), databaseCounters()]).then(([ms, counters]) => {
              serverEnd = ms;
              countersEnd = counters;
            });
          } else if (message.kind === "result") {
            const result = message.result!;
            void windowDone.then(() =>
              resolve({
                ...result,
                serverCpuMs: serverEnd - serverStart,
                machineBusy: busy,
                commits: countersEnd.commits - countersStart.commits,
                maintenance: { checkpoints: countersEnd.checkpoints - countersStart.checkpoints, autovacuums: countersEnd.autovacuums - countersStart.autovacuums },
                vacuumMs,
              }),
            );
          } else reject(new Error(message.error));
        });
        child.once("exit", (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
        child.send({ ...job, wsUrl: server.wsUrl, maxMessagesPerSecond: serverMaxMessagesPerSecond, setupTimeoutMs: setupTimeoutSeconds * 1_000 } satisfies WsLoadJob);
      });
    }

    const describe = (side: Side, phase: Phase) => {
      const perSecond = phase.actions / (phase.wallMs / 1_000);
      const what = side === "ours" ? `${phase.connected} bots, ${phase.battlesAtStart} battles (connected and matched in ${round(phase.setupMs / 1_000, 1)} s)` : `${phase.connected} clients`;
      return (
        `${what}: ${round(perSecond, 0)} ${side === "ours" ? "actions" : "messages"}/s, p50 ${round(quantile(phase.latenciesMs, 0.5))} / p99 ${round(quantile(phase.latenciesMs, 0.99))} ms, ` +
        `errors ${phase.errors}${side === "ours" ? `, ${phase.matchesFinished} matches finished${phase.betweenMatchesMs.length === 0 ? "" : ` (next match p50 ${round(quantile(phase.betweenMatchesMs, 0.5))} / p99 ${round(quantile(phase.betweenMatchesMs, 0.99))} ms after one ends)`}` : ""}; CPU: server ${percent(phase.serverCpuMs / phase.wallMs)} of a core ` +
        `(${round(phase.serverCpuMs / Math.max(1, phase.actions), 3)} ms a ${side === "ours" ? "action" : "message"}), load generator ${percent(phase.cpuMs / phase.wallMs)}, ` +
        `Postgres and the rest ${percent(Math.max(0, phase.machineBusy * cores - (phase.serverCpuMs + phase.cpuMs) / phase.wallMs))}; machine ${percent(phase.machineBusy)} busy; ` +
        `${round(phase.commits / Math.max(1, phase.actions), 3)} database commits and ${round(phase.messagesIn / Math.max(1, phase.actions), 2)} messages to clients a ${side === "ours" ? "action" : "message"}; ` +
        `Postgres ran ${phase.maintenance.checkpoints} checkpoints and ${phase.maintenance.autovacuums} autovacuums or autoanalyzes (vacuumed before the phase in ${round(phase.vacuumMs / 1_000, 1)} s)`
      );
    };

    const paced: Record<Side, Phase[]> = { ours: [], bare: [] };
    for (let r = 0; r < rounds; r++) {
      for (const side of ["ours", "bare"] as const) {
        const phase = await runLoad({ side, seconds: pacedSeconds / rounds, paceMs: [1_000, 3_000], players: side === "ours" ? pacedPlayers : [], clients: players });
        paced[side].push(phase);
        log(`paced round ${r + 1} ${side}: ${describe(side, phase)}`);
        for (const sample of phase.errorSamples.slice(0, 5)) log(`  error: ${sample}`);
      }
    }
    const saturation: Record<Side, Phase[]> = { ours: [], bare: [] };
    for (let r = 0; r < rounds; r++) {
      for (const side of ["ours", "bare"] as const) {
        const phase = await runLoad({ side, seconds: saturationSeconds, paceMs: [0, 0], players: side === "ours" ? saturationLoad : [], clients: saturationPlayers });
        saturation[side].push(phase);
        log(`saturation round ${r + 1} ${side}: ${describe(side, phase)}`);
        for (const sample of phase.errorSamples.slice(0, 5)) log(`  error: ${sample}`);
      }
    }

    const latencyOf = (phases: Phase[]) => {
      const all = phases.flatMap((phase) => phase.latenciesMs);
      const seconds = phases.reduce((sum, phase) => sum + phase.wallMs, 0) / 1_000;
      return { p50Ms: round(quantile(all, 0.5)), p99Ms: round(quantile(all, 0.99)), perSecond: round(all.length / seconds, 1), samples: all.length, errors: phases.reduce((sum, phase) => sum + phase.errors, 0) };
    };
    const rate = (phase: Phase) => phase.actions / (phase.wallMs / 1_000);
    const share = (phases: Phase[], of: (phase: Phase) => number) => round(median(phases.map((phase) => of(phase) / phase.wallMs)), 2);
    const ours = latencyOf(paced.ours);
    const bare = latencyOf(paced.bare);
    const oursPerSecond = median(saturation.ours.map(rate));
    const barePerSecond = median(saturation.bare.map(rate));
    const result = {
      benchmark: "ws",
      players,
      saturationPlayers,
      rounds,
      errors: ours.errors,
      p50Ms: ours.p50Ms,
      p99Ms: ours.p99Ms,
      ratio: round(oursPerSecond / barePerSecond, 3),
      paced: { ours: { ...ours, matchesFinished: paced.ours.reduce((sum, p) => sum + p.matchesFinished, 0), battles: median(paced.ours.map((p) => p.battlesAtStart)), setupSeconds: round(median(paced.ours.map((p) => p.setupMs)) / 1_000, 1) }, bare },
      saturation: {
        oursActionsPerSecond: round(oursPerSecond, 1),
        bareMessagesPerSecond: round(barePerSecond, 1),
        oursPerRound: saturation.ours.map((p) => round(rate(p), 1)),
        barePerRound: saturation.bare.map((p) => round(rate(p), 1)),
        oursP99Ms: latencyOf(saturation.ours).p99Ms,
        bareP99Ms: latencyOf(saturation.bare).p99Ms,
        errors: saturation.ours.reduce((sum, p) => sum + p.errors, 0),
        matchesFinished: saturation.ours.reduce((sum, p) => sum + p.matchesFinished, 0),
      },
      cpu: {
        loadGenerator: { pacedOurs: share(paced.ours, (p) => p.cpuMs), pacedBare: share(paced.bare, (p) => p.cpuMs), saturationOurs: share(saturation.ours, (p) => p.cpuMs), saturationBare: share(saturation.bare, (p) => p.cpuMs) },
        server: { pacedOurs: share(paced.ours, (p) => p.serverCpuMs), pacedBare: share(paced.bare, (p) => p.serverCpuMs), saturationOurs: share(saturation.ours, (p) => p.serverCpuMs), saturationBare: share(saturation.bare, (p) => p.serverCpuMs) },
        databaseCommitsPerAction: { ours: round(median(saturation.ours.map((p) => p.commits / Math.max(1, p.actions))), 3), bare: round(median(saturation.bare.map((p) => p.commits / Math.max(1, p.actions))), 3) },
        serverMsPerAction: { ours: round(median(saturation.ours.map((p) => p.serverCpuMs / Math.max(1, p.actions))), 3), bare: round(median(saturation.bare.map((p) => p.serverCpuMs / Math.max(1, p.actions))), 3) },
      },
      serverMaxMessagesPerSecond,
    };
    return result;
  } finally {
    for (const step of cleanup) await step().catch(() => {});
  }
}

if (import.meta.main) {
  const env = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const result = await runWsBench({
    players: env("PLAYERS", 2_000),
    pacedSeconds: env("PACED_SECONDS", 60),
    saturationPlayers: env("SATURATION_PLAYERS", 1_200),
    saturationSeconds: env("SATURATION_SECONDS", 10),
    rounds: env("ROUNDS", 3),
    serverMaxMessagesPerSecond: env("SERVER_MAX_MESSAGES_PER_SECOND", 1_000),
    setupTimeoutSeconds: env("SETUP_TIMEOUT_SECONDS", 120),
    log: say,
  });
  say("");
  say(`(a) ${result.players} bots paced 1-3 s: p50 ${result.p50Ms} / p99 ${result.p99Ms} ms, ${result.errors} errors (goal: 0 errors, p99 < 50 ms); bare p50 ${result.paced.bare.p50Ms} / p99 ${result.paced.bare.p99Ms} ms`);
  say(`(b) ${result.saturationPlayers} bots at full speed: ${result.saturation.oursActionsPerSecond} actions/s vs bare ${result.saturation.bareMessagesPerSecond} messages/s: ratio ${result.ratio} (goal >= 0.7)`);
  say(`    load generator CPU (share of one core): ${JSON.stringify(result.cpu.loadGenerator)}; server ms CPU per action: ours ${result.cpu.serverMsPerAction.ours}, bare ${result.cpu.serverMsPerAction.bare}`);
  say(JSON.stringify(result));
}

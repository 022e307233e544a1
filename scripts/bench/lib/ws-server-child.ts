/**
 * One server of `npm run bench:ws` in a child process of its own, so that it shares its event loop
 * with neither the load generator nor the other side: either the real game server (`startGameServer`,
 * with its own pool and token service on the bench's database) or the bare baseline
 * (scripts/bench/bare-ws.ts). Over IPC it answers `{ kind: "cpu" }` with its process.cpuUsage() and
 * stops on `{ kind: "stop" }`.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createLogger } from "../../../core/src/logging/logger.ts";
import { createTokenService } from "../../../db/src/auth/token-service.ts";
import { createOwnershipReader } from "../../../db/src/ownership/ownership-reader.ts";
import { createPool } from "../../../db/src/pool.ts";
import { startGameServer } from "../../../game-server/src/game-server.ts";
import { GAME_SERVER_NODE_FLAGS } from "../../../game-server/src/node-flags.ts";
import { startBareWsServer } from "../bare-ws.ts";

export type WsServerJob = {
  side: "ours" | "bare";
  databaseUrl: string;
  tokenSecret: string;
  /** Both sides' pool size (the game server's own default is 10). */
  poolMax: number;
  maxMessagesPerSecond: number;
};

type Reply = { kind: "ready"; wsUrl: string } | { kind: "cpu"; user: number; system: number } | { kind: "failed"; error: string };

/** A server child as the bench drives it. */
export type WsServerHandle = { wsUrl: string; cpuMs(): Promise<number>; stop(): Promise<void> };

/** Forks a server child for `job` and waits until it listens. */
export function forkWsServer(job: WsServerJob): Promise<WsServerHandle> {
  // BENCH_PROFILE=<dir> writes a CPU profile of each server there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`, `--cpu-prof-name=${job.side}-server.cpuprofile`] : [];
  // Both servers run with the node flags the game server is deployed with: whatever they save the
  // baseline, a real server could have too.
  const child: ChildProcess = fork(new URL(import.meta.url), [], { execArgv: [...GAME_SERVER_NODE_FLAGS, ...profile], serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting: ((reply: Reply) => void)[] = [];
  child.on("message", (reply: Reply) => waiting.shift()?.(reply));
  const next = () => new Promise<Reply>((resolve) => waiting.push(resolve));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the ${job.side} server exited with ${code}`)));
    void next().then((reply) => {
      if (reply.kind !== "ready") return reject(new Error(`the ${job.side} server failed: ${reply.kind === "failed" ? reply.error : reply.kind}`));
      resolve({
        wsUrl: reply.wsUrl,
        async cpuMs() {
          const answer = next();
          child.send({ kind: "cpu" });
          const usage = (await answer) as Extract<Reply, { kind: "cpu" }>;
          return (usage.user + usage.system) / 1_000;
        },
        async stop() {
          if (child.exitCode !== null) return;
          const exited = new Promise<void>((done) => child.once("exit", () => done()));
          child.send({ kind: "stop" });
          // A server that does not finish closing in 10 s is killed (this child only).
          const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
    child.send(job);
  });
}

async function serveJob(job: WsServerJob) {
  const pool = createPool(job.databaseUrl, { max: job.poolMax, applicationName: `bench-ws-${job.side}` });
  if (job.side === "bare") {
    const bare = await startBareWsServer(pool);
    return { wsUrl: bare.wsUrl, close: async () => (await bare.close(), await pool.end()) };
  }
  const tokens = createTokenService({ pool, secret: job.tokenSecret, accessTtlSeconds: 6 * 3_600 });
  await tokens.start();
  const game = await startGameServer({
    pool,
    tokens,
    logger: createLogger("bench-game-server", "warn"),
    ownership: createOwnershipReader({ pool, viewsSchema: "chain" }),
    checkHealth: async () => ({ ok: true }) as never,
    port: 0,
    hostname: "127.0.0.1",
    allowedOrigins: [],
    maxMessagesPerSecond: job.maxMessagesPerSecond,
  });
  return { wsUrl: game.wsUrl, close: async () => (await game.close(), await tokens.stop(), await pool.end()) };
}

if (import.meta.main && process.send) {
  process.once("message", (job: WsServerJob) => {
    serveJob(job).then(
      (server) => {
        process.send!({ kind: "ready", wsUrl: server.wsUrl } satisfies Reply);
        process.on("message", (message: { kind: string }) => {
          if (message.kind === "cpu") process.send!({ kind: "cpu", ...process.cpuUsage() } satisfies Reply);
          if (message.kind === "stop") void server.close().finally(() => process.exit(0));
        });
      },
      (error: unknown) => process.send!({ kind: "failed", error: String((error as Error)?.stack ?? error) } satisfies Reply, () => process.exit(1)),
    );
  });
}

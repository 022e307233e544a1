/**
 * `npm run bench:api`: the players' API against a bare Hono + pg baseline, over real HTTP, in one run
 * (see ../shared/design/benchmarks.md).
 *
 * It starts an embedded Postgres (createTestDatabase: a throwaway cluster, fsync off) and serves, from
 * this process, with @hono/node-server on free ports:
 * - the real API app (createTestApp: token service, rate limits at a high multiplier so that they count
 *   but never refuse, SIWE; an unreachable RPC: accounts' signatures verify locally);
 * - a bare baseline (scripts/bench/bare-api.ts): `GET /players/:id`, the same primary-key read as
 *   `GET /v1/me`, no middleware, a pool of the same size (10).
 * The load generator is a CHILD PROCESS (scripts/bench/api-load.ts): CLIENTS concurrent clients (64),
 * HTTP/1.1 keep-alive, one socket each, closed loop. On a 2-core machine it competes with the server
 * and Postgres for CPU; the server's own CPU time per request (process.cpuUsage of this process) is
 * reported beside the throughput for that reason.
 *
 * Measured, alternating A B A B for ROUNDS rounds (3) of SECONDS each (5), medians reported:
 * (b) authenticated `GET /v1/me` (each client its own player's token) vs the bare `GET /players/:id`
 *     (each client its own player's row): requests/s, p50/p99 latency, server CPU µs per request;
 * (a) logins/s: each client loops nonce -> sign (viem, in the generator) -> verify, alternating with
 * (c) a bare loop of viem's recoverMessageAddress in this process (signatures/s): the floor of a login.
 * The last line is JSON: ratio (/v1/me over bare throughput), p99Ms, loginsPerSecond, recoverPerSecond,
 * loginRatio, and more. Goals: ratio >= 0.7, loginRatio >= 0.8. PROFILE=1 also CPU-profiles the server
 * during the last round of each, prints where its time goes, and keeps the profiles in .cache/.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { Session } from "node:inspector/promises";
import { serve } from "@hono/node-server";
import { recoverMessageAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { buildSiweMessage } from "../../core/src/auth/siwe-message.ts";
import { createPool } from "../../db/src/pool.ts";
import { createTestDatabase } from "../../db/src/testing/test-database.ts";
import { createTestApp } from "../../api/src/testing/test-app.ts";
import { bearer, login } from "../../api/src/testing/siwe-client.ts";
import type { LoadJob, LoadResult } from "./api-load.ts";
import { createBareApi } from "./bare-api.ts";

export type ApiBenchOptions = {
  clients?: number;
  rounds?: number;
  /** Length of each /v1/me and bare window. */
  seconds?: number;
  /** Length of each login window. */
  loginSeconds?: number;
  /** Length of each recoverMessageAddress window. */
  recoverSeconds?: number;
  warmupSeconds?: number;
  /** CPU-profile the server in the last round and summarise where the time goes. */
  profile?: boolean;
  log?: (line: string) => void;
};

type HttpSample = { rps: number; p50Ms: number; p99Ms: number; serverCpuUsPerRequest: number; generatorCpuUsPerRequest: number; failed: number };
type LoginSample = { perSecond: number; p50Ms: number; p99Ms: number; serverCpuUsPerLogin: number; generatorCpuUsPerLogin: number; failed: number };
type RecoverSample = { perSecond: number; cpuUsPerRecover: number };

export type ApiBenchResult = {
  clients: number;
  rounds: number;
  seconds: number;
  loadGenerator: "child process";
  me: HttpSample;
  bare: HttpSample;
  login: LoginSample;
  recover: RecoverSample;
  ratio: number;
  cpuRatio: number;
  loginRatio: number;
  loginCpuRatio: number;
  samples: { me: HttpSample[]; bare: HttpSample[]; login: LoginSample[]; recover: RecoverSample[] };
  profiles?: { me: ProfileSummary; bare: ProfileSummary; login: ProfileSummary };
};

/** Where a server's CPU went during one window; `ops` is the window's completed requests (or logins). */
export type ProfileSummary = { totalMs: number; ops: number; byArea: { area: string; ms: number; share: number }[]; topFunctions: { fn: string; ms: number; share: number }[] };

const PROFILE_DIR = new URL("../../.cache/", import.meta.url);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Runs the whole benchmark; the command below prints it. */
export async function runApiBench(options: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const { clients = 64, rounds = 3, seconds = 5, loginSeconds = seconds, recoverSeconds = Math.max(1, seconds / 2), warmupSeconds = 2, profile = false, log = () => {} } = options;
  const db = await createTestDatabase("bench_api");
  const apiPool = createPool(db.url, { max: 10, applicationName: "bench-api" });
  const barePool = createPool(db.url, { max: 10, applicationName: "bench-bare" });
  const testApp = await createTestApp({ pool: apiPool, rpcUrl: "http://127.0.0.1:9", chainId: 31337, rateLimitMultiplier: 1_000_000 });
  const servers: ReturnType<typeof serve>[] = [];
  let generator: ChildProcess | undefined;
  try {
    // One player and session per client, signed in for real.
    const players: { token: string; id: string }[] = [];
    for (let i = 0; i < clients; i++) {
      const { token } = await login(testApp.app, privateKeyToAccount(generatePrivateKey()));
      const me = (await (await testApp.app.request("/v1/me", bearer(token))).json()) as { id: string };
      players.push({ token, id: me.id });
    }
    const listen = (fetch: (request: Request) => Response | Promise<Response>) =>
      new Promise<string>((resolve) => {
        const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
        servers.push(server);
      });
    const apiUrl = await listen(testApp.app.fetch);
    const bareUrl = await listen(createBareApi(barePool).fetch);
    log(`api ${apiUrl}, bare ${bareUrl}, ${clients} clients in a child process, ${rounds} rounds of ${seconds} s`);

    generator = fork(new URL("./api-load.ts", import.meta.url), [], { execArgv: [], serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const child = generator;
    const run = (job: LoadJob) =>
      new Promise<{ load: LoadResult; serverCpuMs: number }>((resolve, reject) => {
        const cpu = process.cpuUsage();
        const onExit = (code: number | null) => reject(new Error(`the load generator exited with ${code}`));
        child.once("exit", onExit);
        child.once("message", (answer: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
          child.off("exit", onExit);
          const used = process.cpuUsage(cpu);
          if (answer.ok) resolve({ load: answer.result, serverCpuMs: (used.user + used.system) / 1000 });
          else reject(new Error(answer.error));
        });
        child.send(job);
      });

    const meJob = (durationMs: number): LoadJob => ({ kind: "http", url: apiUrl, paths: ["/v1/me"], headers: players.map((p) => ({ authorization: `Bearer ${p.token}` })), durationMs });
    const bareJob = (durationMs: number): LoadJob => ({ kind: "http", url: bareUrl, paths: players.map((p) => `/players/${p.id}`), headers: players.map(() => ({})), durationMs });
    const loginJob = (durationMs: number): LoadJob => ({ kind: "login", url: apiUrl, privateKeys: players.map(() => generatePrivateKey()), durationMs });
    const httpSample = ({ load, serverCpuMs }: { load: LoadResult; serverCpuMs: number }): HttpSample => ({
      rps: load.ok / (load.wallMs / 1000),
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      serverCpuUsPerRequest: (serverCpuMs * 1000) / Math.max(1, load.ok),
      generatorCpuUsPerRequest: (load.cpuMs * 1000) / Math.max(1, load.ok),
      failed: load.failed,
    });
    const loginSample = ({ load, serverCpuMs }: { load: LoadResult; serverCpuMs: number }): LoginSample => ({
      perSecond: load.ok / (load.wallMs / 1000),
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      serverCpuUsPerLogin: (serverCpuMs * 1000) / Math.max(1, load.ok),
      generatorCpuUsPerLogin: (load.cpuMs * 1000) / Math.max(1, load.ok),
      failed: load.failed,
    });
    const checkFailures = (what: string, load: LoadResult) => {
      if (load.failed > 0) throw new Error(`${what}: ${load.failed} requests failed, the first: ${load.firstFailure}`);
    };

    // (c) The floor of a login: recovering the signer of one signed message, in this process.
    const signer = privateKeyToAccount(generatePrivateKey());
    const now = Date.now();
    const message = buildSiweMessage({ domain: "localhost:3000", address: signer.address, statement: "Sign in to Harvest Battles.", uri: "http://localhost:3000", chainId: 31337, nonce: "0".repeat(32), issuedAt: new Date(now).toISOString(), expirationTime: new Date(now + 300_000).toISOString() });
    const signature = await signer.signMessage({ message });
    const recoverLoop = async (durationMs: number): Promise<RecoverSample> => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      let count = 0;
      while (performance.now() - started < durationMs) {
        await recoverMessageAddress({ message, signature });
        count += 1;
      }
      const used = process.cpuUsage(cpu);
      return { perSecond: count / ((performance.now() - started) / 1000), cpuUsPerRecover: (used.user + used.system) / count };
    };

    if (warmupSeconds > 0) {
      log(`warming up (${warmupSeconds} s each) …`);
      await run(meJob(warmupSeconds * 1000));
      await run(bareJob(warmupSeconds * 1000));
      await run(loginJob(warmupSeconds * 1000));
      await recoverLoop(Math.min(500, warmupSeconds * 1000));
    }

    const samples: ApiBenchResult["samples"] = { me: [], bare: [], login: [], recover: [] };
    const profiles: Partial<NonNullable<ApiBenchResult["profiles"]>> = {};
    for (let r = 0; r < rounds; r++) {
      const last = r === rounds - 1;
      const me = await maybeProfiled(profile && last, "me", (summary) => (profiles.me = summary), () => run(meJob(seconds * 1000)));
      checkFailures("/v1/me", me.load);
      samples.me.push(httpSample(me));
      const bare = await maybeProfiled(profile && last, "bare", (summary) => (profiles.bare = summary), () => run(bareJob(seconds * 1000)));
      checkFailures("bare", bare.load);
      samples.bare.push(httpSample(bare));
      log(`round ${r + 1}  /v1/me ${fmt(samples.me.at(-1)!)}   bare ${fmt(samples.bare.at(-1)!)}`);
    }
    for (let r = 0; r < rounds; r++) {
      const last = r === rounds - 1;
      const logins = await maybeProfiled(profile && last, "login", (summary) => (profiles.login = summary), () => run(loginJob(loginSeconds * 1000)));
      checkFailures("login", logins.load);
      samples.login.push(loginSample(logins));
      samples.recover.push(await recoverLoop(recoverSeconds * 1000));
      const l = samples.login.at(-1)!;
      const c = samples.recover.at(-1)!;
      log(`round ${r + 1}  logins ${l.perSecond.toFixed(0)}/s (p50 ${l.p50Ms.toFixed(1)} ms, server ${l.serverCpuUsPerLogin.toFixed(0)} µs CPU each)   recover ${c.perSecond.toFixed(0)}/s (${c.cpuUsPerRecover.toFixed(0)} µs CPU each)`);
    }

    const medianHttp = (list: HttpSample[]): HttpSample => ({
      rps: median(list.map((s) => s.rps)),
      p50Ms: median(list.map((s) => s.p50Ms)),
      p99Ms: median(list.map((s) => s.p99Ms)),
      serverCpuUsPerRequest: median(list.map((s) => s.serverCpuUsPerRequest)),
      generatorCpuUsPerRequest: median(list.map((s) => s.generatorCpuUsPerRequest)),
      failed: list.reduce((sum, s) => sum + s.failed, 0),
    });
    const me = medianHttp(samples.me);
    const bare = medianHttp(samples.bare);
    const loginMedian: LoginSample = {
      perSecond: median(samples.login.map((s) => s.perSecond)),
      p50Ms: median(samples.login.map((s) => s.p50Ms)),
      p99Ms: median(samples.login.map((s) => s.p99Ms)),
      serverCpuUsPerLogin: median(samples.login.map((s) => s.serverCpuUsPerLogin)),
      generatorCpuUsPerLogin: median(samples.login.map((s) => s.generatorCpuUsPerLogin)),
      failed: samples.login.reduce((sum, s) => sum + s.failed, 0),
    };
    const recover: RecoverSample = { perSecond: median(samples.recover.map((s) => s.perSecond)), cpuUsPerRecover: median(samples.recover.map((s) => s.cpuUsPerRecover)) };
    return {
      clients,
      rounds,
      seconds,
      loadGenerator: "child process",
      me,
      bare,
      login: loginMedian,
      recover,
      ratio: me.rps / bare.rps,
      cpuRatio: bare.serverCpuUsPerRequest / me.serverCpuUsPerRequest,
      loginRatio: loginMedian.perSecond / recover.perSecond,
      loginCpuRatio: recover.cpuUsPerRecover / loginMedian.serverCpuUsPerLogin,
      samples,
      ...(profiles.me && profiles.bare && profiles.login ? { profiles: { me: profiles.me, bare: profiles.bare, login: profiles.login } } : {}),
    };
  } finally {
    generator?.kill();
    for (const server of servers) {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await testApp.stop();
    await Promise.all([apiPool.end(), barePool.end()]);
    await db.drop();
  }
}

function fmt(sample: HttpSample): string {
  return `${sample.rps.toFixed(0).padStart(6)} req/s p50 ${sample.p50Ms.toFixed(2)} ms p99 ${sample.p99Ms.toFixed(2)} ms, server ${sample.serverCpuUsPerRequest.toFixed(0)} µs CPU/req`;
}

/** Runs `work`, CPU-profiling this process meanwhile when `enabled` (the profile is kept in .cache/ for DevTools). */
async function maybeProfiled<T extends { load: LoadResult }>(enabled: boolean, name: string, onSummary: (summary: ProfileSummary) => void, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  let ops = 0;
  try {
    const result = await work();
    ops = result.load.ok;
    return result;
  } finally {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    await mkdir(PROFILE_DIR, { recursive: true });
    await writeFile(new URL(`bench-api-${name}.cpuprofile`, PROFILE_DIR), JSON.stringify(profile));
    onSummary({ ...summariseProfile(profile as CpuProfile), ops });
  }
}

type CpuProfile = { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[]; startTime: number; endTime: number; samples?: number[] };

/** Self time by area (a package, our code by workspace, Node's internals, idle, GC) and by function. */
function summariseProfile(profile: CpuProfile): Omit<ProfileSummary, "ops"> {
  const totalSamples = profile.samples?.length ?? profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, totalSamples);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  /** The nearest caller with a source file (native and Node-internal frames are charged to it). */
  const jsCaller = (id: number) => {
    for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
      const frame = nodeById.get(at)!.callFrame;
      if (frame.url && !frame.url.startsWith("node:")) return `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*?\/main\//, "")}:${frame.lineNumber + 1}`;
    }
    return "";
  };
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(functionName, url);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
    if (area !== "(idle)") busy += hits;
    const native = !url || url.startsWith("node:");
    const fn = `${functionName || "(anonymous)"} ${url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*?\/main\//, "")}:${lineNumber + 1}${native ? ` <- ${jsCaller(node.id)}` : ""}`;
    if (area !== "(idle)") byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  }
  const share = (hits: number) => round(hits / Math.max(1, busy), 3);
  return {
    totalMs: round(busy * msPerSample, 1),
    byArea: [...byArea].sort((a, b) => b[1] - a[1]).map(([area, hits]) => ({ area, ms: round(hits * msPerSample, 1), share: area === "(idle)" ? 0 : share(hits) })),
    topFunctions: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([fn, hits]) => ({ fn, ms: round(hits * msPerSample, 1), share: share(hits) })),
  };
}

function areaOf(functionName: string, url: string): string {
  if (functionName === "(idle)" || functionName === "(program)" || functionName === "(garbage collector)") return functionName;
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/main\/([^/]+\/(?:src\/)?[^/]+)/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith("node:") || url === "") return "node (internals, native)";
  return url;
}

// ---------------------------------------------------------------------------------------------

if (import.meta.main) {
  const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const result = await runApiBench({
    clients: env("CLIENTS", 64),
    rounds: env("ROUNDS", 3),
    seconds: env("SECONDS", 5),
    loginSeconds: env("LOGIN_SECONDS", env("SECONDS", 5)),
    recoverSeconds: env("RECOVER_SECONDS", 3),
    profile: process.env.PROFILE === "1",
    log: say,
  });
  const { me, bare, login: l, recover } = result;
  say("");
  say(`medians of ${result.rounds} rounds, ${result.clients} clients (load generator: a child process on the same machine)`);
  say("                          req/s     p50 ms   p99 ms   server CPU µs/req   generator CPU µs/req");
  say(`  GET /v1/me (ours)  ${me.rps.toFixed(0).padStart(9)}  ${me.p50Ms.toFixed(2).padStart(8)} ${me.p99Ms.toFixed(2).padStart(8)}   ${me.serverCpuUsPerRequest.toFixed(0).padStart(17)}   ${me.generatorCpuUsPerRequest.toFixed(0).padStart(20)}`);
  say(`  GET /players/:id   ${bare.rps.toFixed(0).padStart(9)}  ${bare.p50Ms.toFixed(2).padStart(8)} ${bare.p99Ms.toFixed(2).padStart(8)}   ${bare.serverCpuUsPerRequest.toFixed(0).padStart(17)}   ${bare.generatorCpuUsPerRequest.toFixed(0).padStart(20)}`);
  say(`  ratio ours/bare: throughput ${result.ratio.toFixed(3)} (goal >= 0.7), server CPU per request ${result.cpuRatio.toFixed(3)} (bare/ours)`);
  say("");
  say(`  logins (nonce, sign, verify) ${l.perSecond.toFixed(0)}/s, p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms, server ${l.serverCpuUsPerLogin.toFixed(0)} µs CPU per login, generator ${l.generatorCpuUsPerLogin.toFixed(0)} µs`);
  say(`  recoverMessageAddress        ${recover.perSecond.toFixed(0)}/s, ${recover.cpuUsPerRecover.toFixed(0)} µs CPU each`);
  say(`  ratio logins/recoveries: throughput ${result.loginRatio.toFixed(3)} (goal >= 0.8), server CPU ${result.loginCpuRatio.toFixed(3)} (recover/login)`);
  if (result.profiles) {
    for (const [name, summary] of Object.entries(result.profiles)) {
      say("");
      const perOp = (ms: number) => ((ms * 1000) / Math.max(1, summary.ops)).toFixed(1).padStart(7);
      say(`  where the server's CPU goes (${name}, last round: ${summary.totalMs} ms busy over ${summary.ops} operations, ${perOp(summary.totalMs).trim()} µs each):`);
      for (const { area, ms, share } of summary.byArea.slice(0, 14)) say(`    ${(share * 100).toFixed(1).padStart(5)}%  ${perOp(ms)} µs/op  ${area}`);
      say("    top functions (self time; native frames charged to their nearest JS caller):");
      for (const { fn, ms, share } of summary.topFunctions.slice(0, 12)) say(`    ${(share * 100).toFixed(1).padStart(5)}%  ${perOp(ms)} µs/op  ${fn}`);
    }
  }
  say(
    JSON.stringify({
      benchmark: "api",
      clients: result.clients,
      rounds: result.rounds,
      seconds: result.seconds,
      loadGenerator: result.loadGenerator,
      ratio: round(result.ratio),
      cpuRatio: round(result.cpuRatio),
      p50Ms: round(me.p50Ms),
      p99Ms: round(me.p99Ms),
      meRps: Math.round(me.rps),
      bareRps: Math.round(bare.rps),
      bareP50Ms: round(bare.p50Ms),
      bareP99Ms: round(bare.p99Ms),
      meCpuUs: Math.round(me.serverCpuUsPerRequest),
      bareCpuUs: Math.round(bare.serverCpuUsPerRequest),
      loginsPerSecond: Math.round(l.perSecond),
      loginP50Ms: round(l.p50Ms),
      loginP99Ms: round(l.p99Ms),
      loginCpuUs: Math.round(l.serverCpuUsPerLogin),
      recoverPerSecond: Math.round(recover.perSecond),
      recoverCpuUs: Math.round(recover.cpuUsPerRecover),
      loginRatio: round(result.loginRatio),
      loginCpuRatio: round(result.loginCpuRatio),
    }),
  );
}

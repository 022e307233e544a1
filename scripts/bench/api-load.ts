/**
 * The API benchmark's load generator, run as a child process of scripts/bench/api.ts so that its CPU
 * is not the server's (on 2 cores it still competes with the server and Postgres for them). It gets
 * jobs over IPC and answers with counts, latencies and its own CPU time. HTTP/1.1 with keep-alive
 * through node:http (lighter per request than fetch, so the generator is less often the bottleneck),
 * one socket per client.
 */
import http from "node:http";
import { privateKeyToAccount } from "viem/accounts";
import { buildSiweMessage } from "../../core/src/auth/siwe-message.ts";
import { signPersonalMessage } from "./lib/native-signer.ts";

/** A closed-loop load: each of `headers.length` clients sends its request again as soon as it has an answer. */
export type HttpJob = { kind: "http"; url: string; paths: string[]; headers: Record<string, string>[]; durationMs: number };
/** Each client loops nonce -> sign -> verify with its own key. */
export type LoginJob = { kind: "login"; url: string; privateKeys: `0x${string}`[]; durationMs: number };
export type LoadJob = HttpJob | LoginJob;

export type LoadResult = {
  /** Completed operations (requests, or logins), and those that failed. */
  ok: number;
  failed: number;
  firstFailure?: string;
  wallMs: number;
  p50Ms: number;
  p99Ms: number;
  /** The generator's own CPU time over the run. */
  cpuMs: number;
};

type Response = { status: number; body: string };

function request(agent: http.Agent, url: URL, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, hostname: url.hostname, port: url.port, method, path, headers: body === undefined ? headers : { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const clients = job.kind === "http" ? job.headers.length : job.privateKeys.length;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
  const url = new URL(job.url);
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const record = (ms: number) => {
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = ms;
  };
  const fail = (what: string) => {
    failed += 1;
    firstFailure ??= what.slice(0, 300);
  };

  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const deadline = started + job.durationMs;
  const loops = Array.from({ length: clients }, async (_, i) => {
    if (job.kind === "http") {
      const path = job.paths[i % job.paths.length]!;
      const headers = job.headers[i]!;
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          const res = await request(agent, url, "GET", path, headers);
          if (res.status === 200) record(performance.now() - t);
          else fail(`${res.status} ${res.body}`);
        } catch (error) {
          fail(String(error));
        }
      }
      return;
    }
    const account = privateKeyToAccount(job.privateKeys[i]!);
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        const nonceRes = await request(agent, url, "GET", "/v1/auth/nonce", {});
        if (nonceRes.status !== 200) {
          fail(`nonce ${nonceRes.status} ${nonceRes.body}`);
          continue;
        }
        const nonce = JSON.parse(nonceRes.body) as { nonce: string; domain: string; uri: string; chainId: number; statement: string };
        const now = Date.now();
        const message = buildSiweMessage({ domain: nonce.domain, address: account.address, statement: nonce.statement, uri: nonce.uri, chainId: nonce.chainId, nonce: nonce.nonce, issuedAt: new Date(now).toISOString(), expirationTime: new Date(now + 300_000).toISOString() });
        const signature = signPersonalMessage(job.privateKeys[i]!, message);
        const verified = await request(agent, url, "POST", "/v1/auth/verify", {}, JSON.stringify({ message, signature }));
        if (verified.status === 200) record(performance.now() - t);
        else fail(`verify ${verified.status} ${verified.body}`);
      } catch (error) {
        fail(String(error));
      }
    }
  });
  await Promise.all(loops);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  agent.destroy();
  const sorted = latencies.slice(0, count).sort();
  return { ok: count, failed, ...(firstFailure ? { firstFailure } : {}), wallMs, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), cpuMs: (cpu.user + cpu.system) / 1000 };
}

// As a child process: one job per message, one answer each.
if (import.meta.main && process.send) {
  process.on("message", (job: LoadJob) => {
    void runLoad(job).then(
      (result) => process.send!({ ok: true, result }),
      (error: unknown) => process.send!({ ok: false, error: String((error as Error)?.stack ?? error) }),
    );
  });
  process.on("disconnect", () => process.exit(0));
}

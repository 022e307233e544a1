/**
 * The load generator of `npm run bench:farm`, run as a child process so that it does not share the
 * API server's event loop (it still shares the machine's two cores). It takes one job over IPC, runs
 * it, and answers with the latencies it measured.
 */
import { Agent, request as httpRequest } from "node:http";

/**
 * One phase of load against one side.
 * - paced: each player acts once a second (plant → harvest, now and then craft and sell);
 * - saturate: each player loops plant → harvest on starter:0 as fast as it can;
 * - harvest: `workers` concurrent loops that only harvest: worker i walks players i, i + workers, …
 *   and each one's plots starter:0..3 (filled with ready crops beforehand), once each, in order.
 */
export type FarmLoadJob = {
  side: "ours" | "bare";
  mode: "paced" | "saturate" | "harvest";
  seconds: number;
  apiUrl: string;
  bareUrl: string;
  /** Per player: its access token and the ids of seeds it may plant. */
  players: { token: string; seedIds: string[] }[];
  /** Concurrent loops in `harvest` mode (and on the bare side then). */
  workers?: number;
};

export type FarmLoadResult = {
  latencies: Record<string, number[]>;
  /** Answers with a 2xx status, per endpoint. */
  succeeded: Record<string, number>;
  errors: number;
  requests: number;
  /** Workers of `harvest` mode that ran out of ready plots before the time was up. */
  exhausted: number;
  cpuMs: number;
  wallMs: number;
};

function send(agent: Agent, url: string, method: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export async function runFarmLoad(job: FarmLoadJob): Promise<FarmLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.mode === "harvest" ? (job.workers ?? job.players.length) : job.players.length });
  const latencies: Record<string, number[]> = {};
  const succeeded: Record<string, number> = {};
  let errors = 0;
  let exhausted = 0;
  let requests = 0;
  const timed = async (endpoint: string, url: string, method: string, token?: string, body?: unknown) => {
    const started = performance.now();
    try {
      const result = await send(agent, url, method, token, body);
      (latencies[endpoint] ??= []).push(performance.now() - started);
      requests += 1;
      if (result.status >= 200 && result.status < 300) succeeded[endpoint] = (succeeded[endpoint] ?? 0) + 1;
      if (result.status >= 500) errors += 1;
      return result;
    } catch {
      errors += 1;
      return { status: 0, body: "" };
    }
  };

  /** One player's next step of the loop: plant, harvest, and now and then craft and sell. */
  async function step(index: number, state: { planted: boolean; harvests: number }, withExtras: boolean) {
    const player = job.players[index]!;
    if (!state.planted) {
      const seedId = player.seedIds.shift();
      const result = await timed("plant", `${job.apiUrl}/v1/farm/plots/starter:0/plant`, "POST", player.token, { seedId });
      // An occupied plot (a harvest lost earlier) is harvested next.
      state.planted = result.status === 200 || result.body.includes("PLOT_OCCUPIED");
      return;
    }
    const result = await timed("harvest", `${job.apiUrl}/v1/farm/plots/starter:0/harvest`, "POST", player.token);
    state.planted = false;
    if (result.status !== 200 || !withExtras) return;
    state.harvests += 1;
    if (state.harvests % 3 === 0) await timed("craft", `${job.apiUrl}/v1/crafts`, "POST", player.token, { recipe: "haystack-squire" });
    if (state.harvests % 5 === 0) await timed("sell", `${job.apiUrl}/v1/market/sell`, "POST", player.token, { kind: "grain", quality: 1, quantity: 1 });
  }

  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  if (job.mode === "harvest") {
    const workers = job.workers ?? job.players.length;
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        if (job.side === "bare") {
          while (performance.now() < deadline) await timed("update", `${job.bareUrl}/counters/${worker + 1}`, "POST");
          return;
        }
        for (let index = worker; index < job.players.length; index += workers) {
          for (let plot = 0; plot < 4; plot++) {
            if (performance.now() >= deadline) return;
            await timed("harvest", `${job.apiUrl}/v1/farm/plots/starter:${plot}/harvest`, "POST", job.players[index]!.token);
          }
        }
        if (performance.now() < deadline) exhausted += 1;
      }),
    );
  } else {
    await Promise.all(
      job.players.map(async (_, index) => {
        const state = { planted: false, harvests: 0 };
        if (job.mode === "paced") await new Promise((resolve) => setTimeout(resolve, (index / job.players.length) * 1000));
        while (performance.now() < deadline) {
          const before = performance.now();
          if (job.side === "ours") await step(index, state, job.mode === "paced");
          else await timed("update", `${job.bareUrl}/counters/${index + 1}`, "POST");
          if (job.mode === "paced") await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - before))));
        }
      }),
    );
  }
  const usage = process.cpuUsage(cpu);
  agent.destroy();
  return { latencies, succeeded, errors, requests, exhausted, cpuMs: (usage.user + usage.system) / 1000, wallMs: performance.now() - started };
}

if (import.meta.main && process.send) {
  process.once("message", (job: FarmLoadJob) => {
    runFarmLoad(job).then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) => process.send!({ ok: false, error: String((error as Error)?.stack ?? error) }, () => process.exit(1)),
    );
  });
}

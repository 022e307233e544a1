/**
 * `npm run bots -- --players N --duration S [--api URL] [--ws URL] [--pace-ms MIN-MAX] [--mode ranked|casual]`
 *
 * Bot players against a running stack (`npm start`: the API on http://127.0.0.1:3000, the game server's
 * WebSocket on ws://127.0.0.1:3001/ws). Each bot makes a fresh wallet, signs in through SIWE over
 * HTTP, claims the starter pack, connects to /ws with its token, queues (ranked by default) and plays
 * full battles with legal moves until the time is up, queuing again after each match; then it
 * concedes a battle still running and disconnects. It waits `--pace-ms` (default 500-1500) before
 * each action, like a person, and stays under the server's 20 messages a second per connection.
 *
 * The last line is JSON: matchesFinished, errors (error messages, queue removals, connections closed
 * or refused by the server), p50Ms / p99Ms (a battle.action to its answer, the battle.events with its seq) and messagesPerSecond
 * (sent and received, all bots together).
 *
 * The API limits sign-ins to 30 a minute per IP: more than about 15 bots wait for it (they retry after
 * Retry-After), unless the stack runs with RATE_LIMIT_MULTIPLIER=100, say.
 */
import { parseArgs } from "node:util";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { mapWithConcurrency } from "../../core/src/async/map-with-concurrency.ts";
import { quantile, round } from "../bench/lib/stats.ts";
import { connectBot, createBotStats, type Bot } from "./bot.ts";
import { signIn, starterDeckId } from "./sign-in.ts";

export type RunBotsOptions = {
  apiUrl: string;
  wsUrl: string;
  players: number;
  durationSeconds: number;
  paceMs?: readonly [number, number];
  mode?: "ranked" | "casual";
  maxMessagesPerSecond?: number;
  /** Sign-ins at once. */
  signInConcurrency?: number;
  log?: (line: string) => void;
};

export type RunBotsResult = { matchesFinished: number; errors: number; p50Ms: number | null; p99Ms: number | null; messagesPerSecond: number; actions: number; errorSamples: string[] };

export async function runBots(options: RunBotsOptions): Promise<RunBotsResult> {
  const { apiUrl, wsUrl, players, durationSeconds, log = () => {} } = options;
  const stats = createBotStats();
  let waits = 0;
  log(`signing in ${players} bots at ${apiUrl} …`);
  const accounts = await mapWithConcurrency(Array.from({ length: players }), options.signInConcurrency ?? 4, async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const onWait = (seconds: number) => {
      if (waits++ % 10 === 0) log(`the API limits sign-ins: waiting ${seconds} s (start the stack with RATE_LIMIT_MULTIPLIER=100 for many bots)`);
    };
    const { token } = await signIn(apiUrl, account, { onWait });
    return { token, deckId: await starterDeckId(apiUrl, token, { onWait }) };
  });
  log(`connecting ${players} bots to ${wsUrl} …`);
  const bots: Bot[] = [];
  await mapWithConcurrency(accounts, 50, async ({ token, deckId }) => {
    try {
      bots.push(await connectBot({ wsUrl, token, deckId, stats, ...(options.paceMs ? { paceMs: options.paceMs } : {}), mode: options.mode ?? "ranked", ...(options.maxMessagesPerSecond ? { maxMessagesPerSecond: options.maxMessagesPerSecond } : {}) }));
    } catch (error) {
      stats.errors += 1;
      stats.errorSamples.push(`connect: ${(error as Error).message}`);
    }
  });
  log(`${bots.length} bots playing for ${durationSeconds} s …`);
  const started = performance.now();
  for (const bot of bots) bot.start();
  await new Promise((resolve) => setTimeout(resolve, durationSeconds * 1_000));
  stats.recording = false;
  const seconds = (performance.now() - started) / 1_000;
  await Promise.all(bots.map((bot) => bot.stop({ concede: true })));
  const latencies = stats.latenciesMs;
  return {
    matchesFinished: stats.finishedBattles.size,
    errors: stats.errors,
    p50Ms: latencies.length ? round(quantile(latencies, 0.5)) : null,
    p99Ms: latencies.length ? round(quantile(latencies, 0.99)) : null,
    messagesPerSecond: round((stats.messagesIn + stats.messagesOut) / seconds, 1),
    actions: stats.actions,
    errorSamples: stats.errorSamples,
  };
}

/** "500-1500" → [500, 1500]; "800" → [800, 800]. */
function parsePace(text: string): [number, number] {
  const [min, max = min] = text.split("-").map(Number);
  if (!Number.isFinite(min) || !Number.isFinite(max) || min! < 0 || max! < min!) throw new Error(`--pace-ms must be MIN-MAX in milliseconds, not ${text}`);
  return [min!, max!];
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      players: { type: "string", default: "10" },
      duration: { type: "string", default: "60" },
      api: { type: "string", default: "http://127.0.0.1:3000" },
      ws: { type: "string", default: "ws://127.0.0.1:3001/ws" },
      "pace-ms": { type: "string", default: "500-1500" },
      mode: { type: "string", default: "ranked" },
    },
  });
  const players = Number(values.players);
  const durationSeconds = Number(values.duration);
  if (!Number.isInteger(players) || players < 1 || !(durationSeconds > 0) || (values.mode !== "ranked" && values.mode !== "casual")) {
    process.stderr.write("usage: npm run bots -- --players N --duration SECONDS [--api URL] [--ws URL] [--pace-ms MIN-MAX] [--mode ranked|casual]\n");
    process.exit(2);
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const result = await runBots({ apiUrl: values.api.replace(/\/+$/, ""), wsUrl: values.ws, players, durationSeconds, paceMs: parsePace(values["pace-ms"]), mode: values.mode, log: say });
    for (const sample of result.errorSamples) say(`error: ${sample}`);
    say(`${result.matchesFinished} matches finished, ${result.actions} actions, ${result.errors} errors`);
    const { errorSamples: _samples, actions: _actions, ...summary } = result;
    say(JSON.stringify(summary));
  } catch (error) {
    process.stderr.write(`bots: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

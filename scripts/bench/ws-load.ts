/**
 * The load generator of `npm run bench:ws`, a child process: many WebSocket clients in one event loop
 * (permessage-deflate off), apart from both servers. It takes one job over IPC:
 * - ours: one bot (scripts/bots/bot.ts) per player connects, queues ranked and plays; once every bot
 *   is in a battle (set-up, untimed) the window opens for `seconds`; then each concedes and leaves;
 * - bare: `clients` sockets to the baseline, each sending a battle.action-sized message and, once its
 *   ack is back, the next one after `paceMs`.
 * It tells the parent when the window opens (and waits for its "go", so the parent can read the
 * servers' CPU) and when it closes, then answers with what it measured in the window, its own CPU
 * time included, so a saturated load generator shows.
 */
import { randomUUID } from "node:crypto";
import { WebSocket } from "ws";
import { connectBot, createBotStats, type Bot, type BotStats } from "../bots/bot.ts";
import { mapWithConcurrency } from "../../core/src/async/map-with-concurrency.ts";

export type WsLoadJob = {
  side: "ours" | "bare";
  wsUrl: string;
  seconds: number;
  /** ours: the wait before each action; bare: between an ack and the next message (ms, uniform). */
  paceMs: [number, number];
  /** ours: the players, with their access tokens and starter decks. */
  players: { token: string; deckId: string }[];
  /** bare: how many clients. */
  clients: number;
  maxMessagesPerSecond: number;
  /** ours: how long the bots may take to be matched before the window opens anyway. */
  setupTimeoutMs: number;
};

/** What the bots count (bare: the same figures for its clients), and the window's own measures. */
export type WsLoadResult = Pick<BotStats, "latenciesMs" | "betweenMatchesMs" | "actions" | "messagesIn" | "messagesOut" | "errors" | "errorSamples"> & {
  connected: number;
  /** ours: battles running when the window opened, and how long connecting and matching took. */
  battlesAtStart: number;
  setupMs: number;
  matchesFinished: number;
  cpuMs: number;
  wallMs: number;
};

type ToParent = { kind: "window-start" } | { kind: "window-end" } | { kind: "result"; result: WsLoadResult } | { kind: "failed"; error: string };

const toParent = (message: ToParent) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
const waitForGo = () => new Promise<void>((resolve) => process.once("message", () => resolve()));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the window (after the parent's go) and closes it after `seconds`; returns its wall time and this process's CPU in it. */
async function window(seconds: number, open: () => void, close: () => void) {
  await toParent({ kind: "window-start" });
  await waitForGo();
  open();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await sleep(seconds * 1_000);
  close();
  const usage = process.cpuUsage(cpu);
  const wallMs = performance.now() - started;
  await toParent({ kind: "window-end" });
  return { wallMs, cpuMs: (usage.user + usage.system) / 1_000 };
}

async function runOurs(job: WsLoadJob): Promise<WsLoadResult> {
  const stats = createBotStats();
  stats.recording = false;
  const setupStarted = performance.now();
  const bots: Bot[] = [];
  await mapWithConcurrency(job.players, 100, async ({ token, deckId }) => {
    try {
      bots.push(await connectBot({ wsUrl: job.wsUrl, token, deckId, stats, paceMs: job.paceMs, maxMessagesPerSecond: job.maxMessagesPerSecond }));
    } catch (error) {
      stats.errors += 1;
      if (stats.errorSamples.length < 20) stats.errorSamples.push(`connect: ${(error as Error).message}`);
    }
  });
  for (const bot of bots) bot.start();
  const setupDeadline = performance.now() + job.setupTimeoutMs;
  while (stats.startedBattles.size < Math.floor(bots.length / 2) && performance.now() < setupDeadline) await sleep(100);
  const battlesAtStart = stats.startedBattles.size;
  const setupMs = performance.now() - setupStarted;
  let matchesFinished = 0;
  const { wallMs, cpuMs } = await window(
    job.seconds,
    () => {
      stats.finishedBattles.clear();
      stats.recording = true;
    },
    () => {
      stats.recording = false;
      matchesFinished = stats.finishedBattles.size;
    },
  );
  const errorsInPlay = stats.errors;
  await Promise.all(bots.map((bot) => bot.stop({ concede: true, timeoutMs: 15_000 })));
  return { connected: bots.length, battlesAtStart, setupMs, latenciesMs: stats.latenciesMs, betweenMatchesMs: stats.betweenMatchesMs, actions: stats.actions, messagesIn: stats.messagesIn, messagesOut: stats.messagesOut, errors: errorsInPlay, errorSamples: stats.errorSamples, matchesFinished, cpuMs, wallMs };
}

async function runBare(job: WsLoadJob): Promise<WsLoadResult> {
  const result: WsLoadResult = { connected: 0, battlesAtStart: 0, setupMs: 0, latenciesMs: [], betweenMatchesMs: [], actions: 0, messagesIn: 0, messagesOut: 0, errors: 0, errorSamples: [], matchesFinished: 0, cpuMs: 0, wallMs: 0 };
  const fail = (what: string) => {
    result.errors += 1;
    if (result.errorSamples.length < 20) result.errorSamples.push(what);
  };
  const battleId = randomUUID();
  let running = false;
  let closing = false;
  const setupStarted = performance.now();
  const sockets = await mapWithConcurrency(Array.from({ length: job.clients }), 100, () => {
    return new Promise<WebSocket | null>((resolve) => {
      const ws = new WebSocket(job.wsUrl, { perMessageDeflate: false });
      ws.once("open", () => resolve(ws));
      ws.on("error", (error) => {
        fail(`socket: ${error.message}`);
        resolve(null);
      });
      ws.on("close", (code) => !closing && fail(`closed by the server: ${code}`));
    });
  });
  result.setupMs = performance.now() - setupStarted;
  const live = sockets.filter((ws): ws is WebSocket => ws !== null);
  result.connected = live.length;
  const pace = () => job.paceMs[0] + Math.random() * (job.paceMs[1] - job.paceMs[0]);
  const starters: (() => void)[] = [];
  for (const ws of live) {
    let seq = 0;
    let sentAt = 0;
    const sendNext = () => {
      if (!running || ws.readyState !== WebSocket.OPEN) return;
      sentAt = performance.now();
      ws.send(JSON.stringify({ type: "battle.action", seq: ++seq, battleId, action: { type: "attack", attackerId: "c1234", target: "hero" } }));
      result.messagesOut += 1;
    };
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString()) as { type: string; seq: number };
      if (!running) return;
      result.messagesIn += 1;
      if (message.type !== "ack" || message.seq !== seq) return fail(`unexpected answer ${data.toString().slice(0, 100)}`);
      result.latenciesMs.push(performance.now() - sentAt);
      result.actions += 1;
      const delay = pace();
      if (delay <= 0) sendNext();
      else setTimeout(sendNext, delay);
    });
    // Paced clients start spread over a first pause; saturating ones all at once.
    starters.push(() => (job.paceMs[1] > 0 ? setTimeout(sendNext, Math.random() * job.paceMs[1]) : sendNext()));
  }
  const measured = await window(
    job.seconds,
    () => {
      running = true;
      for (const start of starters) start();
    },
    () => (running = false),
  );
  closing = true;
  await Promise.all(live.map((ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : (ws.once("close", () => resolve()), ws.close(1000))))));
  return { ...result, ...measured };
}

export function runWsLoad(job: WsLoadJob): Promise<WsLoadResult> {
  return job.side === "ours" ? runOurs(job) : runBare(job);
}

if (import.meta.main && process.send) {
  process.once("message", (job: WsLoadJob) => {
    runWsLoad(job).then(
      (result) => toParent({ kind: "result", result }).then(() => process.exit(0)),
      (error: unknown) => toParent({ kind: "failed", error: String((error as Error)?.stack ?? error) }).then(() => process.exit(1)),
    );
  });
}

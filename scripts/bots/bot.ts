/**
 * One bot player over the game server's WebSocket protocol (docs/protocol.md): it queues with its
 * deck, plays every battle it is matched into with legal moves (a random play or attack it can make,
 * else it ends its turn), waits `paceMs` before each action like a person would, and queues again
 * after each match. Used by `npm run bots` (scripts/bots/run.ts) and `npm run bench:ws`.
 *
 * Every message it sends goes through a limiter that keeps it under the server's per-connection
 * limit. What it sees is added to a shared {@link BotStats}: the latency of each action to its
 * answer (the `battle.events` carrying its seq), the errors (any `error` message, a
 * `queue.removed`, a connection that closes or fails when the bot did not ask for it) and the
 * battles that ended.
 *
 * @example
 * const stats = createBotStats();
 * const bot = await connectBot({ wsUrl, token, deckId, stats, paceMs: [1_000, 3_000] });
 * bot.start();
 * // … later
 * await bot.stop({ concede: true });
 */
import { WebSocket } from "ws";
import type { BattleAction } from "../../core/src/battle/actions.ts";
import type { CardDef } from "../../core/src/battle/cards.ts";
import { cardsShownBy, expandView, UnknownCardError, type CompactBattleView } from "../../core/src/battle/compact-views.ts";
import { legalActions } from "../../core/src/battle/legal-actions.ts";
import { applyViewChanges, type ViewChanges } from "../../core/src/battle/view-changes.ts";
import type { BattleView } from "../../core/src/battle/views.ts";
import { createSendLimiter } from "./send-limiter.ts";

/** What every bot of a run adds to. `recording` false (a warm-up, the stop) leaves latencies and counts alone. */
export type BotStats = {
  recording: boolean;
  /** Milliseconds from sending a battle.action to its answer (battle.events with its seq). */
  latenciesMs: number[];
  /** Actions acknowledged. */
  actions: number;
  messagesIn: number;
  messagesOut: number;
  errors: number;
  /** The first few errors, to print. */
  errorSamples: string[];
  /** Milliseconds from a battle.ended to the bot's next battle.started: its queue.join, waiting for a partner, the pairing tick, the new battle. */
  betweenMatchesMs: number[];
  /** Battles that ended while the bots were playing (not the ones they conceded to stop). */
  finishedBattles: Set<string>;
  startedBattles: Set<string>;
};

export function createBotStats(): BotStats {
  return { recording: true, latenciesMs: [], betweenMatchesMs: [], actions: 0, messagesIn: 0, messagesOut: 0, errors: 0, errorSamples: [], finishedBattles: new Set(), startedBattles: new Set() };
}

export type BotOptions = {
  wsUrl: string;
  token: string;
  deckId: string;
  stats: BotStats;
  mode?: "ranked" | "casual";
  /** The wait before each action, uniform between the two (ms); [0, 0] acts as soon as the turn allows. */
  paceMs?: readonly [number, number];
  /** The server's per-connection limit (messages a second); the bot stays under it. */
  maxMessagesPerSecond?: number;
  /** An Origin header, for a server that checks it (node clients normally send none). */
  origin?: string;
  random?: () => number;
  connectTimeoutMs?: number;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- server messages as the bot reads them
type Message = Record<string, any>;

/** The bot's choice: a random play or attack it may make, else end the turn (legalActions of its own view). */
export function pickAction(view: BattleView, random: () => number = Math.random): Record<string, unknown> {
  const moves = legalActions(view).filter((action) => action.type !== "end_turn");
  const chosen: BattleAction = moves.length > 0 ? moves[Math.floor(random() * moves.length)]! : { type: "end_turn", playerId: view.you.playerId };
  const { playerId: _playerId, ...clientAction } = chosen;
  return clientAction;
}

/** Opens the bot's connection and resolves once the server has welcomed it. */
export function connectBot(options: BotOptions): Promise<Bot> {
  const { stats, random = Math.random, paceMs = [1_000, 3_000], mode = "ranked" } = options;
  const limiter = createSendLimiter(options.maxMessagesPerSecond ?? 20);
  const ws = new WebSocket(options.wsUrl, {
    perMessageDeflate: false,
    headers: { authorization: `Bearer ${options.token}`, ...(options.origin ? { origin: options.origin } : {}) },
  });
  let playerId = "";
  let seq = 0;
  let stopping = false;
  /** The battle being played: its latest view (cards by id, kept up by each battle.events' changes) and every card definition received for it. */
  let battle: { id: string; view: CompactBattleView; cards: Map<string, CardDef> } | null = null;
  let inFlight: { seq: number; sentAt: number } | null = null;
  let resumeSeq: number | null = null;
  let queueSeq: number | null = null;
  let actTimer: NodeJS.Timeout | undefined;
  /** Where the bot stands with the queue: a queue.join unanswered, queued, or neither. */
  let queueState: "idle" | "joining" | "queued" = "idle";
  let leaveSeq: number | null = null;
  /** Set while stop() winds down with `concede`: resolves it once the player holds no slot. */
  let settle: (() => void) | null = null;
  /** When the bot's last battle ended, while it waits for the next. */
  let endedAt: number | null = null;

  const fail = (what: string) => {
    if (stopping) return;
    stats.errors += 1;
    if (stats.errorSamples.length < 20) stats.errorSamples.push(what.slice(0, 300));
  };

  async function send(body: Record<string, unknown>): Promise<number> {
    const mySeq = ++seq;
    if (!limiter.tryTake()) await limiter.slot();
    if (ws.readyState !== WebSocket.OPEN) return mySeq;
    if (body.type === "battle.action" && inFlight?.seq === mySeq) inFlight.sentAt = performance.now();
    ws.send(JSON.stringify({ ...body, seq: mySeq }));
    if (stats.recording) stats.messagesOut += 1;
    return mySeq;
  }

  function queue() {
    if (stopping) return;
    queueState = "joining";
    queueSeq = seq + 1;
    void send({ type: "queue.join", mode, deckId: options.deckId });
  }

  function maybeAct() {
    if (stopping || battle === null || inFlight !== null || resumeSeq !== null || actTimer !== undefined) return;
    const { view } = battle;
    if (view.result !== null || view.activePlayerId !== playerId) return;
    const [min, max] = paceMs;
    const delay = min + random() * (max - min);
    const run = () => {
      actTimer = undefined;
      act();
    };
    actTimer = delay <= 0 ? (setImmediate(run) as unknown as NodeJS.Timeout) : setTimeout(run, delay);
  }

  function act() {
    if (stopping || battle === null || inFlight !== null) return;
    const { id, view } = battle;
    if (view.result !== null || view.activePlayerId !== playerId) return;
    let full: BattleView;
    try {
      full = expandView(view, battle.cards);
    } catch (error) {
      if (!(error instanceof UnknownCardError)) throw error;
      // A card never defined to this connection (the server sends a snapshot before any view that
      // could name one): count it, and ask for a snapshot.
      fail(`unknown card ${error.cardId}`);
      resumeSeq = seq + 1;
      return void send({ type: "battle.resume", battleId: id });
    }
    inFlight = { seq: seq + 1, sentAt: performance.now() };
    void send({ type: "battle.action", battleId: id, action: pickAction(full, random) });
  }

  /** Adds the card definitions a battle message carries: a snapshot's `cards`, the whole cards of events. */
  function learnCards(cards: Map<string, CardDef>, m: Message) {
    for (const card of (m.cards ?? []) as CardDef[]) cards.set(card.id, card);
    if (m.events !== undefined) for (const card of cardsShownBy(m.events)) cards.set(card.id, card);
  }

  function onMessage(m: Message) {
    if (stats.recording) stats.messagesIn += 1;
    switch (m.type) {
      case "battle.started":
        battle = { id: m.battleId as string, view: m.view as CompactBattleView, cards: new Map() };
        learnCards(battle.cards, m);
        queueState = "idle";
        stats.startedBattles.add(battle.id);
        if (endedAt !== null && stats.recording) stats.betweenMatchesMs.push(performance.now() - endedAt);
        endedAt = null;
        // Matched while stopping: concede at once, so the opponent and the slot are free.
        if (settle !== null) return concede(battle.id);
        return maybeAct();
      case "queue.joined":
        queueState = "queued";
        if (settle !== null) leave();
        return;
      case "queue.left":
        queueState = "idle";
        return settle?.();
      case "battle.events":
      case "battle.state":
        if (battle === null || battle.id !== m.battleId) return;
        if (m.type === "battle.state") battle.view = m.view as CompactBattleView;
        else if (m.baseSeq === battle.view.seq) battle.view = applyViewChanges(battle.view, m.changes as ViewChanges);
        else if (resumeSeq === null) {
          // Changes to a view the bot does not hold: the server sends every change in order, so count
          // it, and ask for a snapshot.
          fail(`battle.events from seq ${m.baseSeq}, the bot's view is at ${battle.view.seq}`);
          resumeSeq = seq + 1;
          void send({ type: "battle.resume", battleId: battle.id });
        }
        learnCards(battle.cards, m);
        if (inFlight !== null && m.seq === inFlight.seq) {
          // The answer to the bot's action: accepted and stored.
          if (stats.recording) {
            stats.latenciesMs.push(performance.now() - inFlight.sentAt);
            stats.actions += 1;
          }
          inFlight = null;
        } else if (m.type === "battle.state" && m.seq === resumeSeq) resumeSeq = null;
        return maybeAct();
      case "battle.ended":
        if (battle === null || battle.id !== m.battleId) return;
        if (!stopping) stats.finishedBattles.add(battle.id);
        // Only a wait that begins while recording counts (not one that began before a bench's window).
        endedAt = stats.recording ? performance.now() : null;
        battle = null;
        inFlight = null;
        resumeSeq = null;
        settle?.();
        return queue();
      case "queue.removed":
        queueState = "idle";
        fail(`queue.removed ${m.code}: ${m.message}`);
        return void setTimeout(queue, 1_000);
      case "error":
        fail(`error ${m.code} (seq ${m.seq}): ${m.message}`);
        if (m.seq !== null && m.seq === leaveSeq) {
          // Not queued any more: matched a moment ago (battle.started follows, then the concede), or never was.
          const wait = settle;
          return void setTimeout(() => battle === null && wait?.(), 2_000);
        }
        if (m.seq !== null && m.seq === queueSeq) {
          queueState = "idle";
          if (settle !== null) return settle();
          return void setTimeout(queue, 1_000);
        }
        if (inFlight !== null && m.seq === inFlight.seq && battle !== null) {
          // The view may be stale: ask for the current one before acting again.
          inFlight = null;
          resumeSeq = seq + 1;
          void send({ type: "battle.resume", battleId: battle.id });
        } else if (m.seq === resumeSeq) resumeSeq = null;
        return;
      default:
        return;
    }
  }

  function concede(battleId: string) {
    void send({ type: "battle.action", battleId, action: { type: "concede" } });
  }

  function leave() {
    leaveSeq = seq + 1;
    void send({ type: "queue.leave" });
  }

  const bot = {
    get playerId() {
      return playerId;
    },
    /** Queues, then plays and re-queues until stopped. */
    start() {
      queue();
    },
    /**
     * Stops acting. With `concede` it first frees the player's slot, waiting up to `timeoutMs`: it
     * concedes a running battle (and one the matchmaker starts meanwhile) until battle.ended, or leaves
     * the queue until queue.left. Then it closes the connection.
     */
    async stop({ concede: withConcede = false, timeoutMs = 5_000 }: { concede?: boolean; timeoutMs?: number } = {}): Promise<void> {
      stopping = true;
      clearTimeout(actTimer);
      if (withConcede && ws.readyState === WebSocket.OPEN) {
        const freed = new Promise<void>((resolve) => {
          settle = resolve;
          setTimeout(resolve, timeoutMs);
        });
        if (battle !== null) concede(battle.id);
        else if (queueState === "queued") leave();
        else if (queueState === "idle") settle?.();
        await freed;
      }
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
      ws.close(1000, "bot done");
      await closed;
    },
  };

  return new Promise<Bot>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error("no welcome from the game server"));
      ws.terminate();
    }, options.connectTimeoutMs ?? 30_000);
    ws.on("message", (data) => {
      let m: Message;
      try {
        m = JSON.parse(data.toString()) as Message;
      } catch {
        return fail("a message that is not JSON");
      }
      if (m.type === "welcome") {
        playerId = m.playerId as string;
        clearTimeout(timer);
        return resolve(bot);
      }
      onMessage(m);
    });
    ws.once("unexpected-response", (_request, response) => {
      clearTimeout(timer);
      reject(new Error(`the game server refused the connection: ${response.statusCode}`));
    });
    ws.on("error", (error) => {
      clearTimeout(timer);
      if (playerId === "") reject(error);
      else fail(`socket error: ${error.message}`);
    });
    ws.on("close", (code, reason) => {
      clearTimeout(actTimer);
      if (playerId !== "") fail(`connection closed by the server: ${code} ${reason.toString()}`);
    });
  });
}

export type Bot = {
  readonly playerId: string;
  start(): void;
  stop(options?: { concede?: boolean; timeoutMs?: number }): Promise<void>;
};

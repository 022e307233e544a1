import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import type { ClientBattleAction } from "@harvest/core/battle/action-schema";
import { toBattleAction } from "@harvest/core/battle/action-schema";
import type { BattleAction } from "@harvest/core/battle/actions";
import { applyAction } from "@harvest/core/battle/apply-action";
import { chooseBotAction } from "@harvest/core/battle/bot";
import { createBattle, type BattleSeat, type CreateBattleParams } from "@harvest/core/battle/create-battle";
import type { BattleEvent } from "@harvest/core/battle/events";
import { battleErrors } from "@harvest/core/battle/errors";
import { createRng, rngStateFromSeed } from "@harvest/core/battle/random";
import { hashState, replayBattle } from "@harvest/core/battle/replay";
import { battleRules } from "@harvest/core/battle/rules";
import { stableStringify } from "@harvest/core/battle/stable-json";
import type { BattleState } from "@harvest/core/battle/state";
import { compactViewFor, snapshotFor, type CompactBattleView } from "@harvest/core/battle/compact-views";
import { viewChangesBetween } from "@harvest/core/battle/view-changes";
import { redactEventFor, viewFor } from "@harvest/core/battle/views";
import { AppError } from "@harvest/core/errors/error-codes";
import type { Logger } from "@harvest/core/logging/logger";
import type { PlayerSettlement, ServerMessage } from "@harvest/core/protocol/ws-messages";
import type { Rating } from "@harvest/core/rating/rate-match";
import * as store from "@harvest/db/battles/battle-store";
import { createActionAppender } from "@harvest/db/battles/action-appender";
import { markDisconnected, markReconnected, overdueDisconnections } from "@harvest/db/matchmaking/player-slots";
import { endBattle, readRatings } from "@harvest/db/matchmaking/end-match";
import { isRated, planSettlement, type MatchSettlement, type SettlementPlan } from "@harvest/db/matchmaking/settle-match";
import { appendEvents } from "@harvest/db/outbox";
import { listenChannel } from "@harvest/db/listen-channel";
import { withTransaction } from "@harvest/db/pool";
import type { ConnectionRegistry } from "../socket/connections.ts";
import { starterDeck } from "./starter-deck.ts";

/** Where a player's messages go: one connection's send. */
export type BattleSink = (message: ServerMessage) => void;

/** The practice bot's player id in the engine (not a game.players id). */
export const PRACTICE_BOT_ID = "practice-bot";
export const PRACTICE_MODE = "practice";

export type BattleServiceOptions = {
  pool: pg.Pool;
  logger: Logger;
  /** Game time; injectable for tests. */
  nowMs?: () => number;
  turnTimeMs?: number;
  /** Active practice battles a player may have at once. */
  maxActivePractice?: number;
  /** This process's connections, so that a new match reaches its players wherever they are connected here. */
  connections?: ConnectionRegistry;
  /** How long a player whose connection dropped mid-match has to come back before forfeiting. */
  reconnectGraceMs?: number;
  /** How often this process looks for players whose grace period ran out. */
  graceSweepIntervalMs?: number;
  /** Checks a player's deck and returns its cards (practice with one's own deck); without it practice uses the starter deck. */
  resolveDeck?: (actor: { playerId: string; address: string }, deckId: string) => Promise<{ cards: BattleSeat["deck"] }>;
  /** Told when a player's match starts here (in_match) and ends (null), for presence. */
  onActivity?: (playerId: string, activity: "in_match" | null) => void;
};

type LiveBattle = {
  id: string;
  mode: string;
  params: CreateBattleParams;
  players: readonly string[];
  state: BattleState;
  /** `${playerId}:${clientSeq}` → the accepted action, to answer a resent message without a second effect. */
  byClientSeq: Map<string, BattleAction>;
  /** Connections of each human player that asked about this battle: the timer's and the bot's events go there. */
  sinks: Map<string, Set<BattleSink>>;
  timer: NodeJS.Timeout | undefined;
  /** The turn deadline `timer` is armed for: a battle's actions within one turn leave it alone. */
  timerDeadlineMs: number;
  /** What the end changed for each player (a match between players), for their battle.ended. */
  settlement: MatchSettlement | null;
  /** A ranked match's ratings as they stood when it was made (seat order), to settle it from; null: read them at the end. */
  ratingsBefore: readonly [Rating, Rating] | null;
  /** Each human player's view as the last publish left it, and at which seq: the next one's changes start from it. */
  views: { seq: number; of: Map<string, CompactBattleView> } | null;
};

/** Thrown when another writer stored the same seq first: nothing of this action was written. */
class SeqConflict extends Error {}

/** A bot or timer loop never runs longer than this many actions at once (a turn has far fewer). */
const MAX_SERVER_ACTIONS = 500;

/**
 * Practice battles on one game-server instance: live battles in memory (battleId → state), each accepted
 * action stored with an outbox event in one transaction before anyone hears of it, and a battle not in
 * memory (after a restart, or on another instance) rebuilt from the database with replayBattle. Messages
 * for one battle are handled one at a time. Players only ever receive compactViewFor / snapshotFor / redactEventFor output.
 */
export function createBattleService({
  pool,
  logger,
  nowMs = Date.now,
  turnTimeMs = battleRules.defaultTurnTimeMs,
  maxActivePractice = 3,
  connections,
  reconnectGraceMs = 30_000,
  graceSweepIntervalMs = 1_000,
  onActivity = () => {},
  resolveDeck,
}: BattleServiceOptions) {
  const live = new Map<string, LiveBattle>();
  const locks = new Map<string, Promise<void>>();
  const sinkBattles = new WeakMap<BattleSink, Set<string>>();
  let closed = false;
  let sweeper: NodeJS.Timeout | undefined;
  let sweeping = false;
  /** This process's name in battle notices, so that it skips its own. */
  const origin = randomUUID();
  // Actions of many battles share statements under load (group commit); each is acknowledged after its own commit.
  const appender = createActionAppender(pool, origin);
  let listener: Awaited<ReturnType<typeof listenChannel>> | undefined;

  function serialize<T>(battleId: string, work: () => Promise<T>): Promise<T> {
    const previous = locks.get(battleId) ?? Promise.resolve();
    const run = previous.then(work);
    const tail = run.then(
      () => {},
      () => {},
    );
    locks.set(battleId, tail);
    void tail.then(() => {
      if (locks.get(battleId) === tail) locks.delete(battleId);
    });
    return run;
  }

  const humansOf = (battle: LiveBattle) => battle.players.filter((id) => id !== PRACTICE_BOT_ID);

  const isMatch = (battle: LiveBattle) => battle.mode !== PRACTICE_MODE;
  const opponentOf = (battle: LiveBattle, playerId: string) => battle.players.find((id) => id !== playerId)!;
  const tell = (battle: LiveBattle, playerId: string, message: ServerMessage) => {
    for (const sink of battle.sinks.get(playerId) ?? []) sink(message);
  };

  /** Sends `sink` this battle's messages for `playerId` from now on; a player back from a dropped connection ends their grace period. */
  function subscribe(battle: LiveBattle, playerId: string, sink: BattleSink, { endGrace = true } = {}) {
    const sinks = battle.sinks.get(playerId) ?? new Set<BattleSink>();
    if (endGrace && sinks.size === 0 && isMatch(battle) && battle.state.result === null) {
      void markReconnected(pool, playerId, battle.id).then(
        (wasAway) => wasAway && tell(battle, opponentOf(battle, playerId), { type: "battle.opponent", battleId: battle.id, playerId, status: "reconnected" }),
        (error: unknown) => logger.error({ err: error, battleId: battle.id }, "could not end a grace period"),
      );
    }
    sinks.add(sink);
    battle.sinks.set(playerId, sinks);
    const ids = sinkBattles.get(sink) ?? new Set<string>();
    ids.add(battle.id);
    sinkBattles.set(sink, ids);
  }

  /**
   * Sends each human player their redacted `events` and how their view changed from state `before`
   * (the one the events were applied to) to the battle's state now. Every connection of a player
   * holds the view of `before`: each was sent a snapshot when it joined the battle and every change
   * since, in order. The connection whose battle.action caused them (`answering`) gets its message
   * with that action's seq: the answer that acknowledges it.
   */
  function publish(battle: LiveBattle, before: BattleState, events: readonly BattleEvent[], answering?: { playerId: string; sink: BattleSink; seq: number }) {
    const previous = battle.views?.seq === before.seq ? battle.views.of : null;
    const views = new Map<string, CompactBattleView>();
    for (const playerId of humansOf(battle)) {
      const view = compactViewFor(battle.state, playerId);
      views.set(playerId, view);
      const changes = viewChangesBetween(previous?.get(playerId) ?? compactViewFor(before, playerId), view);
      const message = { type: "battle.events", seq: null, battleId: battle.id, events: events.map((event) => redactEventFor(event, playerId)), baseSeq: before.seq, changes } as const;
      for (const sink of battle.sinks.get(playerId) ?? []) if (sink !== answering?.sink) sink(message);
      if (answering?.playerId === playerId) answering.sink({ ...message, seq: answering.seq });
      if (battle.state.result !== null) {
        const settlement: PlayerSettlement | undefined = battle.settlement?.players[playerId];
        tell(battle, playerId, { type: "battle.ended", battleId: battle.id, result: battle.state.result, ...(settlement === undefined ? {} : { settlement }) });
        if (isMatch(battle)) onActivity(playerId, null);
      }
    }
    battle.views = { seq: battle.state.seq, of: views };
    if (battle.state.result !== null) evict(battle);
  }

  function evict(battle: LiveBattle) {
    clearTimeout(battle.timer);
    if (live.get(battle.id) === battle) live.delete(battle.id);
  }

  /**
   * Stores accepted action `seq` with its outbox event; when it ended the battle, with the end, in the
   * same statement. A match between players is settled by that statement too (slots, ratings,
   * leaderboard, rewards: endBattle), from the ratings read when the match was made (lockQueuedSlots)
   * or, for a battle rebuilt from the database, one unlocked read of them now: one round trip, two at
   * most, and no transaction held open across them.
   */
  async function persist(battle: LiveBattle, next: BattleState, action: BattleAction, at: number, playerId: string | null, clientSeq: number | null) {
    const seq = battle.state.seq;
    const toStore = { battleId: battle.id, seq, playerId, clientSeq, action, nowMs: at };
    const conflict = () => new SeqConflict(`battle ${battle.id} seq ${seq} is already stored`);
    if (next.result === null) {
      // Most actions: the action and its event in one statement, one round trip.
      if (!(await appender.append(toStore))) throw conflict();
      return;
    }
    const end = { mode: battle.mode, players: battle.players, result: next.result, finalHash: hashState(next) };
    let plan: SettlementPlan | null = null;
    if (isMatch(battle)) {
      const [a, b] = battle.players;
      const match = { battleId: battle.id, mode: battle.mode, players: [a!, b!] as const, result: next.result, seed: battle.params.seed, endedAt: new Date() };
      plan = planSettlement(match, isRated(match.mode) ? (battle.ratingsBefore ?? (await readRatings(pool, match.players))) : null);
    }
    if (!(await endBattle(pool, toStore, end, plan, origin))) throw conflict();
    battle.settlement = plan?.settlement ?? null;
  }

  /** The clock, never before the battle's last action (the engine refuses time running backwards). */
  const clockFor = (battle: LiveBattle) => Math.max(nowMs(), battle.state.updatedAtMs);

  /** Whether the server has a move to make now (runServerTurns): a turn whose deadline has passed, or the practice bot's turn. */
  const serverMovesNow = (battle: LiveBattle) =>
    battle.state.result === null && (clockFor(battle) >= battle.state.turnDeadlineMs || battle.state.players[battle.state.activeIndex].playerId === PRACTICE_BOT_ID);

  /**
   * Applies what the server itself must: the timer's turn_timeout once a deadline has passed, and the
   * bot's actions while it is the bot's turn. Each is stored before its events go out. Returns whether a
   * turn timed out.
   */
  async function runServerTurns(battle: LiveBattle): Promise<boolean> {
    let timedOut = false;
    for (let i = 0; i < MAX_SERVER_ACTIONS && battle.state.result === null && live.get(battle.id) === battle; i++) {
      const state = battle.state;
      const at = clockFor(battle);
      const active = state.players[state.activeIndex].playerId;
      let action: BattleAction;
      if (at >= state.turnDeadlineMs) action = { type: "turn_timeout", playerId: active };
      else if (active === PRACTICE_BOT_ID) {
        const rng = createRng(rngStateFromSeed(`${battle.params.seed}:bot:${state.seq}`));
        action = chooseBotAction(viewFor(state, PRACTICE_BOT_ID), rng) ?? { type: "end_turn", playerId: PRACTICE_BOT_ID };
      } else break;
      let result = applyAction(state, action, at);
      if (!result.ok && action.type !== "turn_timeout") {
        logger.warn({ battleId: battle.id, action, code: result.code }, "the bot chose a refused action; ending its turn");
        action = { type: "end_turn", playerId: active };
        result = applyAction(state, action, at);
      }
      if (!result.ok) {
        logger.error({ battleId: battle.id, action, code: result.code }, "server action refused");
        break;
      }
      await persist(battle, result.state, action, at, action.type === "turn_timeout" ? null : active, null);
      if (action.type === "turn_timeout") timedOut = true;
      battle.state = result.state;
      publish(battle, state, result.events);
    }
    schedule(battle);
    return timedOut;
  }

  /** Wakes the battle at its turn deadline (the player may never send another message). */
  function schedule(battle: LiveBattle) {
    const active = !closed && battle.state.result === null && live.get(battle.id) === battle;
    if (active && battle.timer !== undefined && battle.timerDeadlineMs === battle.state.turnDeadlineMs) return;
    clearTimeout(battle.timer);
    battle.timer = undefined;
    if (!active) return;
    const delay = Math.max(0, battle.state.turnDeadlineMs - nowMs()) + 5;
    battle.timerDeadlineMs = battle.state.turnDeadlineMs;
    battle.timer = setTimeout(() => {
      battle.timer = undefined;
      void serialize(battle.id, async () => {
        if (live.get(battle.id) === battle) await runServerTurns(battle);
      }).catch((error: unknown) => failed(battle, error));
    }, delay);
    battle.timer.unref();
  }

  function failed(battle: LiveBattle, error: unknown) {
    if (error instanceof SeqConflict) {
      // Another process stored this seq first (both ran the turn timer, say): memory only changes
      // after a commit, so catch up from the log and keep the players here subscribed.
      logger.warn({ battleId: battle.id }, error.message);
      void serialize(battle.id, () => catchUp(battle, Number.MAX_SAFE_INTEGER)).catch(() => evict(battle));
      return;
    }
    evict(battle);
    logger.error({ err: error, battleId: battle.id }, "battle step failed");
  }

  /** The live battle, rebuilt from the database when not in memory; null when there is no such battle. */
  /** A battle in memory: its stored params and players, its state now, and the client seqs it has seen. */
  const liveBattle = (match: NewMatch, byClientSeq = new Map<string, BattleAction>()): LiveBattle => ({
    id: match.battleId,
    mode: match.mode,
    params: match.params,
    players: match.players,
    state: match.state,
    byClientSeq,
    sinks: new Map(),
    timer: undefined,
    timerDeadlineMs: 0,
    settlement: null,
    ratingsBefore: match.ratings,
    views: null,
  });

  /** Holds a battle this process has just created (and committed) as live, from its initial state. */
  function adopt(match: NewMatch): LiveBattle {
    const battle = liveBattle(match);
    live.set(match.battleId, battle);
    return battle;
  }

  async function obtain(battleId: string): Promise<LiveBattle | null> {
    const cached = live.get(battleId);
    if (cached !== undefined) return cached;
    const stored = await store.loadBattle(pool, battleId);
    if (stored === null) return null;
    const replayed = replayBattle(stored.params, stored.actions);
    if (!replayed.ok) throw new Error(`battle ${battleId} does not replay: ${replayed.code} ${replayed.message}`);
    const byClientSeq = new Map<string, BattleAction>();
    for (const entry of stored.actions) if (entry.playerId !== null && entry.clientSeq !== null) byClientSeq.set(`${entry.playerId}:${entry.clientSeq}`, entry.action);
    const battle = liveBattle({ battleId, mode: stored.mode, params: stored.params, players: stored.players, state: replayed.state, ratings: null }, byClientSeq);
    if (replayed.state.result === null && !closed) {
      live.set(battleId, battle);
      // Its turn timer runs from now on, whatever the message that brought it back does.
      schedule(battle);
      logger.info({ battleId, actions: stored.actions.length }, "battle rebuilt from the database");
    }
    return battle;
  }

  const errorOf = (seq: number | null, code: string, message: string): ServerMessage => ({ type: "error", seq, code, message });

  /** Whether `playerId` is one of the battle's human players (the practice bot never sends messages). */
  const isPlayerOf = (players: readonly string[], playerId: string) => playerId !== PRACTICE_BOT_ID && players.includes(playerId);

  /**
   * A battle not in memory as its row has it (one primary-key read, no log), for one of its players;
   * anyone else gets NOT_FOUND or FORBIDDEN on `sink` and null.
   */
  async function rowOfPlayers(battleId: string, playerId: string, clientSeq: number, sink: BattleSink) {
    const header = await store.findBattleHeader(pool, battleId);
    if (header === null) sink(errorOf(clientSeq, "NOT_FOUND", "no such battle"));
    else if (!isPlayerOf(header.players, playerId)) sink(errorOf(clientSeq, "FORBIDDEN", "this battle is not yours"));
    else return header;
    return null;
  }

  /**
   * Another process stored action `seq` of a battle this one holds (its two players are connected to
   * different processes): apply what is new from the log, and tell the players connected here.
   */
  async function catchUp(battle: LiveBattle, seq: number): Promise<void> {
    if (live.get(battle.id) !== battle || battle.state.seq > seq) return;
    for (const entry of await store.loadActionsFrom(pool, battle.id, battle.state.seq)) {
      const before = battle.state;
      const result = applyAction(before, entry.action, entry.nowMs);
      if (!result.ok) {
        logger.error({ battleId: battle.id, seq: entry.seq, code: result.code }, "a stored action does not apply; reloading the battle next time");
        return evict(battle);
      }
      battle.state = result.state;
      if (entry.playerId !== null && entry.clientSeq !== null) battle.byClientSeq.set(`${entry.playerId}:${entry.clientSeq}`, entry.action);
      if (result.state.result !== null && isMatch(battle)) {
        const players = await store.loadSettlement(pool, battle.id);
        battle.settlement = players === null ? null : ({ players } as MatchSettlement);
      }
      publish(battle, before, result.events);
    }
    schedule(battle);
  }

  function onBattleMoved(payload: string) {
    const notice = store.parseBattleMoved(payload);
    if (notice === null || notice.origin === origin) return;
    for (const { battleId, seq } of notice.moves) {
      const battle = live.get(battleId);
      if (battle === undefined) continue;
      // Nobody here follows it: forget it rather than replay every move (it is rebuilt when asked for).
      if (![...battle.sinks.values()].some((sinks) => sinks.size > 0)) {
        evict(battle);
        continue;
      }
      void serialize(battleId, () => catchUp(battle, seq)).catch((error: unknown) => failed(battle, error));
    }
  }

  const service = {
    /**
     * Starts a practice battle of the player against the bot, with their deck `deckId` (checked like a
     * match's) or the starter deck, and answers battle.started (then the bot's first turn, if it goes first).
     */
    async startPractice(actor: { playerId: string; address: string }, clientSeq: number, sink: BattleSink, deckId?: string): Promise<void> {
      const { playerId } = actor;
      try {
        if ((await store.countActiveBattles(pool, playerId, PRACTICE_MODE)) >= maxActivePractice) {
          return sink(errorOf(clientSeq, "TOO_MANY_BATTLES", `finish or concede one of your ${maxActivePractice} practice battles first`));
        }
        let deck = starterDeck("you");
        if (deckId !== undefined) {
          if (resolveDeck === undefined) return sink(errorOf(clientSeq, "NOT_AVAILABLE", "practice with your own deck is not served here"));
          try {
            deck = [...(await resolveDeck(actor, deckId)).cards];
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            return sink({ type: "error", seq: clientSeq, code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) });
          }
        }
        const params: CreateBattleParams = {
          battleId: randomUUID(),
          // 256 random bits: whoever knows the seed knows every draw, so it stays on the server until the end.
          seed: randomBytes(32).toString("hex"),
          players: [
            { playerId, deck },
            { playerId: PRACTICE_BOT_ID, deck: starterDeck("bot") },
          ],
          startedAtMs: nowMs(),
          turnTimeMs,
        };
        const created = createBattle(params);
        if (!created.ok) throw new Error(`practice battle refused: ${created.code} ${created.message}`);
        const players = [playerId, PRACTICE_BOT_ID];
        await withTransaction(pool, async (client) => {
          await store.createBattle(client, { mode: PRACTICE_MODE, params, players });
          await appendEvents(client, [{ aggregateType: "battle", aggregateId: params.battleId, type: "battle.started", payload: { battleId: params.battleId, mode: PRACTICE_MODE, players } }]);
        });
        const battle = adopt({ battleId: params.battleId, mode: PRACTICE_MODE, params, players, state: created.state, ratings: null });
        subscribe(battle, playerId, sink);
        sink({ type: "battle.started", seq: clientSeq, battleId: battle.id, mode: PRACTICE_MODE, ...snapshotFor(battle.state, playerId) });
        await serialize(battle.id, () => runServerTurns(battle)).catch((error: unknown) => failed(battle, error));
      } catch (error) {
        logger.error({ err: error, playerId }, "practice start failed");
        sink(errorOf(clientSeq, "INTERNAL", "the battle could not be started"));
      }
    },

    /**
     * Handles one battle.action of `playerId` (from the session): refused → error and nothing stored;
     * accepted → stored with its outbox event, then battle.events to both players (the actor's, carrying
     * `clientSeq`, is the acknowledgement) and the server's answers (bot turns, timeouts, the end). A
     * resent message (same seq in this battle) is acknowledged again with no events and no second effect.
     */
    act(playerId: string, battleId: string, clientSeq: number, message: ClientBattleAction, sink: BattleSink): Promise<void> {
      return serialize(battleId, async () => {
        let battle: LiveBattle | null = null;
        try {
          const action = toBattleAction(message, playerId);
          if (!live.has(battleId)) {
            // A battle not in memory has usually ended (a late action, a second concede): refuse it from
            // the battle's row rather than rebuild the battle from its whole log for a certain refusal.
            // Only the resend of one of its actions goes the long way, to be answered as before.
            const header = await rowOfPlayers(battleId, playerId, clientSeq, sink);
            if (header === null) return;
            if (header.status === "ended") {
              const stored = await store.findActionByClientSeq(pool, battleId, playerId, clientSeq);
              if (stored === null) return sink(errorOf(clientSeq, "BATTLE_OVER", battleErrors.BATTLE_OVER.message));
              if (stableStringify(stored.action) !== stableStringify(action)) return sink(errorOf(clientSeq, "DUPLICATE_SEQ", "this seq was already used for another action in this battle"));
            }
          }
          battle = live.get(battleId) ?? (await obtain(battleId));
          if (battle === null) return sink(errorOf(clientSeq, "NOT_FOUND", "no such battle"));
          if (!isPlayerOf(battle.players, playerId)) return sink(errorOf(clientSeq, "FORBIDDEN", "this battle is not yours"));
          if (live.get(battleId) === battle && battle.sinks.get(playerId)?.has(sink) !== true) {
            subscribe(battle, playerId, sink);
            // A connection new to this battle (it did not resume it, or the battle was rebuilt) gets a
            // snapshot before anything else, so that every view it is sent names cards it knows.
            sink({ type: "battle.state", seq: null, battleId, ...snapshotFor(battle.state, playerId) });
          }
          const previous = battle.byClientSeq.get(`${playerId}:${clientSeq}`);
          if (previous !== undefined) {
            // A resent action: acknowledged again, with nothing new (its events were sent the first time).
            if (stableStringify(previous) !== stableStringify(action)) return sink(errorOf(clientSeq, "DUPLICATE_SEQ", "this seq was already used for another action in this battle"));
            const ended = live.get(battleId) !== battle ? battle.state.result : null;
            // An ended battle (rebuilt for this answer only): the connection may know nothing of it, so
            // its snapshot comes first, and its end after.
            if (ended !== null) sink({ type: "battle.state", seq: null, battleId, ...snapshotFor(battle.state, playerId) });
            sink({ type: "battle.events", seq: clientSeq, battleId, events: [], baseSeq: battle.state.seq, changes: {} });
            if (ended !== null) sink({ type: "battle.ended", battleId, result: ended });
            return;
          }
          // A deadline that passed before this message arrived ends the turn first (and the bot may play).
          if (serverMovesNow(battle) && (await runServerTurns(battle)) && action.type !== "concede") {
            return sink(errorOf(clientSeq, "TURN_EXPIRED", "the turn ended before your action arrived"));
          }
          const at = clockFor(battle);
          const before = battle.state;
          const result = applyAction(before, action, at);
          if (!result.ok) return sink(errorOf(clientSeq, result.code, result.message));
          await persist(battle, result.state, action, at, playerId, clientSeq);
          battle.state = result.state;
          battle.byClientSeq.set(`${playerId}:${clientSeq}`, action);
          publish(battle, before, result.events, { playerId, sink, seq: clientSeq });
          if (serverMovesNow(battle)) await runServerTurns(battle);
          else schedule(battle);
        } catch (error) {
          if (battle !== null) failed(battle, error);
          else logger.error({ err: error, battleId }, "battle action failed");
          sink(errorOf(clientSeq, error instanceof SeqConflict ? "CONFLICT" : "INTERNAL", error instanceof SeqConflict ? "the battle moved on elsewhere; look again and retry" : "the action could not be handled"));
        }
      });
    },

    /**
     * Answers battle.state with the player's current view (rebuilding the battle after a restart), then
     * applies any turn that timed out meanwhile, and sends this battle's events to `sink` from now on.
     */
    resume(playerId: string, battleId: string, clientSeq: number, sink: BattleSink): Promise<void> {
      return serialize(battleId, async () => {
        let battle: LiveBattle | null = null;
        let answered = false;
        try {
          // Nobody but its players makes this process rebuild a battle (and run its timer).
          if (!live.has(battleId) && (await rowOfPlayers(battleId, playerId, clientSeq, sink)) === null) return;
          battle = await obtain(battleId);
          if (battle === null) return sink(errorOf(clientSeq, "NOT_FOUND", "no such battle"));
          if (!isPlayerOf(battle.players, playerId)) return sink(errorOf(clientSeq, "FORBIDDEN", "this battle is not yours"));
          if (live.get(battleId) === battle) subscribe(battle, playerId, sink);
          // The snapshot first: what follows (a turn that timed out meanwhile, applied now) then names
          // only cards this connection has been sent.
          sink({ type: "battle.state", seq: clientSeq, battleId, ...snapshotFor(battle.state, playerId) });
          answered = true;
          if (battle.state.result === null) await runServerTurns(battle);
        } catch (error) {
          if (battle !== null) failed(battle, error);
          else logger.error({ err: error, battleId }, "battle resume failed");
          if (!answered) sink(errorOf(clientSeq, "INTERNAL", "the battle could not be loaded"));
        }
      });
    },

    /**
     * Makes a match's battle between two players (the engine's initial state; nothing stored): the
     * decks are pinned in its params for the whole match. Store it with startMatches on the
     * transaction that also marks the players' slots, then call `announce` once that has committed.
     * A ranked match passes its players' `ratings` as read under that transaction's lock
     * (lockQueuedSlots), which its end is settled from.
     */
    prepareMatch(match: { mode: string; seats: readonly [BattleSeat, BattleSeat]; ratings?: readonly [Rating, Rating] | null }): NewMatch {
      const params: CreateBattleParams = { battleId: randomUUID(), seed: randomBytes(32).toString("hex"), players: match.seats, startedAtMs: nowMs(), turnTimeMs };
      const created = createBattle(params);
      if (!created.ok) throw new Error(`match refused by the engine: ${created.code} ${created.message}`);
      return { battleId: params.battleId, mode: match.mode, params, players: match.seats.map((seat) => seat.playerId), state: created.state, ratings: match.ratings ?? null };
    },

    /**
     * Tells the players of a new match who are connected to this process: battle.started with their
     * own view (answering `seqOf(playerId)` when they asked for it, as invite.accept does), and the
     * battle's events from then on.
     */
    announce(match: NewMatch | string, seqOf: (playerId: string) => number | null = () => null): Promise<void> {
      const battleId = typeof match === "string" ? match : match.battleId;
      // A match made here is served from what prepareMatch made (it has no action yet), not read back.
      const made = typeof match !== "string";
      return serialize(battleId, async () => {
        const battle = made && !live.has(battleId) && !closed ? adopt(match) : await obtain(battleId);
        if (battle === null || live.get(battleId) !== battle) return;
        for (const playerId of humansOf(battle)) {
          if (connections?.of(playerId).length) onActivity(playerId, "in_match");
          for (const connection of connections?.of(playerId) ?? []) {
            // Nobody of a match made here a moment ago can be in a grace period yet.
            subscribe(battle, playerId, connection.send, { endGrace: !made });
            connection.send({ type: "battle.started", seq: seqOf(playerId), battleId, mode: battle.mode, ...snapshotFor(battle.state, playerId) });
          }
        }
        schedule(battle);
      }).catch((error: unknown) => logger.error({ err: error, battleId }, "could not announce a match"));
    },

    /** The player concedes on the server's behalf: their grace period ran out. */
    forfeit(playerId: string, battleId: string): Promise<void> {
      return serialize(battleId, async () => {
        const battle = await obtain(battleId);
        if (battle === null || battle.state.result !== null || !battle.players.includes(playerId)) return;
        const at = clockFor(battle);
        const action: BattleAction = { type: "concede", playerId };
        const before = battle.state;
        const result = applyAction(before, action, at);
        if (!result.ok) return;
        await persist(battle, result.state, action, at, playerId, null);
        battle.state = result.state;
        logger.info({ battleId, playerId }, "a player did not come back in time and forfeits");
        publish(battle, before, result.events);
      }).catch((error: unknown) => logger.error({ err: error, battleId, playerId }, "forfeit failed"));
    },

    /**
     * Rebuilds every active battle from the database (at start-up): their turn timers run again, so a
     * battle whose players never come back still ends.
     */
    async adoptActive(): Promise<number> {
      const { rows } = await pool.query<{ id: string }>(`SELECT id FROM game.battles WHERE status = 'active'`);
      for (const { id } of rows) {
        await serialize(id, async () => {
          const battle = await obtain(id);
          if (battle !== null) schedule(battle);
        }).catch((error: unknown) => logger.error({ err: error, battleId: id }, "could not adopt a battle"));
      }
      return rows.length;
    },

    /**
     * Forgets a closed connection. A player left with no connection in a running match gets
     * `reconnectGraceMs` to come back (battle.resume from a new connection); their opponent is told.
     */
    detach(sink: BattleSink) {
      for (const battleId of sinkBattles.get(sink) ?? []) {
        const battle = live.get(battleId);
        if (battle === undefined) continue;
        for (const [playerId, sinks] of battle.sinks) {
          if (!sinks.delete(sink) || sinks.size > 0 || !isMatch(battle) || battle.state.result !== null || closed) continue;
          void markDisconnected(pool, playerId, battleId).then(
            (marked) => marked && tell(battle, opponentOf(battle, playerId), { type: "battle.opponent", battleId, playerId, status: "disconnected", graceEndsAtMs: Date.now() + reconnectGraceMs }),
            (error: unknown) => logger.error({ err: error, battleId }, "could not start a grace period"),
          );
        }
      }
      sinkBattles.delete(sink);
    },

    /** Forfeits every player whose grace period ran out (any process may do it; a second forfeit changes nothing). */
    async sweepDisconnected(): Promise<number> {
      const overdue = await overdueDisconnections(pool, reconnectGraceMs);
      for (const { playerId, battleId } of overdue) await service.forfeit(playerId, battleId);
      return overdue.length;
    },

    /** Starts looking for players whose grace period ran out, every `graceSweepIntervalMs`. */
    startSweeping() {
      clearInterval(sweeper);
      sweeper = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        void service
          .sweepDisconnected()
          .catch((error: unknown) => logger.error({ err: error }, "grace sweep failed"))
          .finally(() => (sweeping = false));
      }, graceSweepIntervalMs);
      sweeper.unref();
    },

    /** Follows the battles other game-server processes move on (players of one battle may be connected to two processes). */
    async start(): Promise<void> {
      listener = await listenChannel(pool, store.BATTLE_MOVED_CHANNEL, onBattleMoved, { onError: (error) => logger.warn({ err: error }, "battle notice listener dropped") });
    },

    /** How many battles are in memory. */
    liveCount: () => live.size,

    /** Stops every timer and forgets every battle (they stay in the database). */
    close() {
      closed = true;
      void listener?.stop();
      clearInterval(sweeper);
      for (const battle of live.values()) clearTimeout(battle.timer);
      live.clear();
    },
  };
  return service;
}

export type BattleService = ReturnType<typeof createBattleService>;

/** A match prepareMatch made; once the transaction that stored it (startMatches) has committed, announce serves it as it is. */
export type NewMatch = {
  battleId: string;
  mode: string;
  params: CreateBattleParams;
  players: string[];
  state: BattleState;
  /** A ranked match's ratings as its players' slots were locked (seat order): what it is settled from. */
  ratings: readonly [Rating, Rating] | null;
};

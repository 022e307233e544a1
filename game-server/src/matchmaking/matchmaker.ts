import { randomInt, randomUUID } from "node:crypto";
import type pg from "pg";
import type { CardDef } from "@harvest/core/battle/cards";
import { AppError } from "@harvest/core/errors/error-codes";
import type { Logger } from "@harvest/core/logging/logger";
import { pairQueue, type QueueMode } from "@harvest/core/matchmaking/pair-queue";
import { listenChannel } from "@harvest/db/listen-channel";
import { enterMatched, enterQueue, enterQueueWithHeldDeck, findInvite, leaveQueue, lockQueuedSlots, readQueue, slotStateOf, type QueuedSlot } from "@harvest/db/matchmaking/player-slots";
import { isRated } from "@harvest/db/matchmaking/settle-match";
import { startMatches, type MatchToStart } from "@harvest/db/matchmaking/start-matches";
import { withTransaction } from "@harvest/db/pool";
import type { BattleService, NewMatch } from "../battles/battle-service.ts";
import type { Connection, ConnectionRegistry } from "../socket/connections.ts";

/** A player as the deck check needs them. */
export type Actor = { playerId: string; address: string };

/** A deck checked for a match: its cards for the engine and its power. */
export type MatchDeck = { deckId: string; cards: CardDef[]; power: number };

/**
 * Checks decks, many at once (a tick checks every pair's): for each, in the order asked, its cards
 * when the player may use every one now, or the error that refuses it (an AppError when the deck
 * no longer plays). See the deck service's resolveDecksForMatch.
 */
export type DeckResolver = (entries: readonly { actor: Actor; deckId: string }[]) => Promise<(MatchDeck | Error)[]>;

export type MatchmakerOptions = {
  pool: pg.Pool;
  logger: Logger;
  battles: BattleService;
  connections: ConnectionRegistry;
  resolveDecks: DeckResolver;
  /**
   * A deck of off-chain cards as the last check here accepted it (the deck service's lastCheck): a
   * queue.join with it then queues in one statement that makes sure it still plays as it did
   * (enterQueueWithHeldDeck), and checks it in full only when not.
   */
  lastDeckCheck?: (actor: Actor, deckId: string) => { cardIds: readonly string[]; power: number } | undefined;
  /** How often this process pairs the queue (the windows of those who wait widen with time). */
  tickIntervalMs?: number;
  /** How soon after a queue.join this process pairs the queue, rather than at the next interval; joins within it share one tick. */
  joinTickDelayMs?: number;
  /** Queued players one tick considers, longest waiting first. */
  tickBatch?: number;
  /** Told when a player connected here joins a queue (in_queue) or leaves it without a match (null), for presence. */
  onActivity?: (playerId: string, activity: "in_queue" | null) => void;
};

/** One process's word to all: a match to announce, or a player the queue let go. */
type MatchNotice =
  | { kind: "match"; origin: string; battleId: string; players: string[] }
  | { kind: "removed"; origin: string; playerId: string; code: string; message: string; details?: unknown };

const NOTICE_CHANNEL = "game_matches";
const INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

const newInviteCode = () => Array.from({ length: 8 }, () => INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]).join("");

/**
 * Queues, private invites and pairing. Queue state lives in game.player_slots, so a player holds at
 * most one slot across every game-server process and a queue outlives any of them. Each process runs
 * a pairing tick over the rows no other process has locked; a match (or a player dropped because
 * their deck no longer plays) is announced with NOTIFY, and each process tells the players connected
 * to it. A deck is checked when the player queues and again when the match is made; from then on its
 * cards are pinned for that match.
 */
export function createMatchmaker({ pool, logger, battles, connections, resolveDecks, lastDeckCheck = () => undefined, tickIntervalMs = 500, joinTickDelayMs = 50, tickBatch = 500, onActivity = () => {} }: MatchmakerOptions) {
  const origin = randomUUID();
  /** The connection each locally queued player queued from: closing it leaves the queue. */
  const queuedFrom = new Map<string, Connection>();
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  /** A tick scheduled by a join, and whether a join came while a tick ran (it may have read the queue before that player). */
  let soon: NodeJS.Timeout | undefined;
  let joinedDuringTick = false;

  function runTick() {
    if (ticking) return;
    ticking = true;
    void tick()
      .catch((error: unknown) => logger.error({ err: error }, "matchmaking tick failed"))
      .finally(() => {
        ticking = false;
        if (joinedDuringTick) {
          joinedDuringTick = false;
          tickSoon();
        }
      });
  }

  /**
   * Pairs the queue `joinTickDelayMs` after a join instead of at the next interval: a player whose
   * partner is already waiting is matched in a few tens of milliseconds, not up to a whole interval
   * later (a whole wave of players, when many matches end together). Only once started.
   */
  function tickSoon() {
    if (timer === undefined) return;
    if (ticking) joinedDuringTick = true;
    else if (soon === undefined) {
      soon = setTimeout(() => {
        soon = undefined;
        runTick();
      }, joinTickDelayMs);
      soon.unref();
    }
  }
  let listener: Awaited<ReturnType<typeof listenChannel>> | undefined;

  const errorTo = (connection: Connection, seq: number | null, error: unknown) => {
    if (error instanceof AppError) return connection.send({ type: "error", seq, code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) });
    logger.error({ err: error, playerId: connection.playerId }, "matchmaking request failed");
    connection.send({ type: "error", seq, code: "INTERNAL", message: "the request could not be handled" });
  };
  const busy = () => new AppError("CONFLICT", "You are already in a queue or a match.", { details: { reason: "ALREADY_BUSY" } });

  async function notify(client: pg.ClientBase, notice: MatchNotice) {
    await client.query(`SELECT pg_notify($1, $2)`, [NOTICE_CHANNEL, JSON.stringify(notice)]);
  }

  /** What startMatches stores for a match made here, with the notice that tells every process of it. */
  const toStart = (match: NewMatch): MatchToStart => ({
    battleId: match.battleId,
    mode: match.mode,
    params: match.params,
    players: [match.players[0]!, match.players[1]!],
    notice: JSON.stringify({ kind: "match", origin, battleId: match.battleId, players: match.players } satisfies MatchNotice),
  });

  /**
   * Stores `matches` on the tick's transaction in one statement (startMatches) and returns those
   * started. Should that statement fail, each match is tried on its own, so that one that cannot
   * start (its players stay queued) holds up no other.
   */
  async function startAll(client: pg.ClientBase, matches: readonly NewMatch[]): Promise<NewMatch[]> {
    if (matches.length === 0) return [];
    await client.query(`SAVEPOINT start_matches`);
    try {
      await startMatches(client, matches.map(toStart), NOTICE_CHANNEL);
      await client.query(`RELEASE SAVEPOINT start_matches`);
      return [...matches];
    } catch (error) {
      await client.query(`ROLLBACK TO SAVEPOINT start_matches`);
      if (matches.length === 1) {
        logger.warn({ err: error, players: matches[0]!.players }, "a pair could not start; both stay queued");
        return [];
      }
      const started: NewMatch[] = [];
      for (const match of matches) started.push(...(await startAll(client, [match])));
      return started;
    }
  }

  function onNotice(payload: string) {
    let notice: MatchNotice;
    try {
      notice = JSON.parse(payload) as MatchNotice;
    } catch {
      return;
    }
    // This process has already told its own players.
    if (notice.origin === origin) return;
    if (notice.kind === "match") {
      for (const playerId of notice.players) queuedFrom.delete(playerId);
      if (notice.players.some((playerId) => connections.of(playerId).length > 0)) void battles.announce(notice.battleId);
    } else removedLocally(notice.playerId, notice.code, notice.message, notice.details);
  }

  function removedLocally(playerId: string, code: string, message: string, details: unknown) {
    queuedFrom.delete(playerId);
    onActivity(playerId, null);
    for (const connection of connections.of(playerId)) connection.send({ type: "queue.removed", code, message, ...(details === undefined ? {} : { details }) });
  }

  async function addressesOf(playerIds: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await pool.query<{ id: string; address: string }>(`SELECT id, address FROM game.players WHERE id = ANY ($1::bigint[])`, [[...playerIds]]);
    return new Map(rows.map((row) => [row.id, row.address]));
  }

  /** A queued player's deck checked again for the match: its cards, or why it no longer plays (null: the check failed for another reason, try next tick). */
  type DeckCheck = { cards: CardDef[] } | { refused: AppError } | null;

  function deckCheckOf(playerId: string, checked: MatchDeck | Error): DeckCheck {
    if (!(checked instanceof Error)) return { cards: checked.cards };
    // A deck that no longer plays (or is gone) leaves the queue; anything else (the indexer still
    // starting, say) keeps the player queued for the next tick.
    if (checked instanceof AppError && (checked.code === "RULE_VIOLATION" || checked.code === "NOT_FOUND")) return { refused: checked };
    logger.warn({ err: checked, playerId }, "a deck could not be checked; the player stays queued");
    return null;
  }

  /** One deck checked (queue.join, invites): its cards, or the error thrown. */
  async function resolveDeck(actor: Actor, deckId: string): Promise<MatchDeck> {
    const [checked] = await resolveDecks([{ actor, deckId }]);
    if (checked instanceof Error) throw checked;
    return checked!;
  }

  /** Whether the slot locked now is the one that was read and checked (same deck, same time in the queue). */
  const sameSlot = (read: QueuedSlot, locked: QueuedSlot | undefined) =>
    locked !== undefined && locked.deckId === read.deckId && locked.mode === read.mode && locked.queuedAt.getTime() === read.queuedAt.getTime();

  /**
   * Pairs what the queue holds now; returns the battles it started. The queue is read and the decks
   * are checked again BEFORE any row is locked: those checks read through the pool, and queue rows held
   * locked while waiting for a pooled connection could starve it (every connection waiting on those
   * rows, a player leaving the queue say). Then one short transaction locks the pairs' rows (skipping
   * any another process holds), keeps the pairs whose two rows are unchanged, and starts all their
   * battles in one statement (startAll: one that fails leaves the others).
   */
  async function tick(): Promise<string[]> {
    const queued = await readQueue(pool, tickBatch);
    if (queued.length < 2) return [];
    const now = Date.now();
    const pairs = pairQueue(queued.map((slot) => ({ playerId: slot.playerId, mode: slot.mode as QueueMode, rating: slot.rating, deckPower: slot.deckPower, waitedMs: now - slot.queuedAt.getTime() })));
    if (pairs.length === 0) return [];
    const bySlot = new Map(queued.map((slot) => [slot.playerId, slot]));
    const playerIds = pairs.flat().map((entry) => entry.playerId);
    const addresses = await addressesOf(playerIds);
    // Every deck of the tick in one read (hundreds of them, at a busy moment).
    const checked = await resolveDecks(playerIds.map((playerId) => ({ actor: { playerId, address: addresses.get(playerId) ?? "" }, deckId: bySlot.get(playerId)!.deckId })));
    const checks = new Map(playerIds.map((playerId, i) => [playerId, deckCheckOf(playerId, checked[i]!)] as const));

    let started: NewMatch[] = [];
    const removed: { playerId: string; error: AppError }[] = [];
    await withTransaction(pool, async (client) => {
      removed.length = 0;
      const ready: NewMatch[] = [];
      const locked = new Map((await lockQueuedSlots(client, playerIds)).map((slot) => [slot.playerId, slot]));
      for (const pair of pairs) {
        const players = pair.map((entry) => entry.playerId) as [string, string];
        if (!players.every((playerId) => sameSlot(bySlot.get(playerId)!, locked.get(playerId)))) continue;
        const a = checks.get(players[0]) ?? null;
        const b = checks.get(players[1]) ?? null;
        const refused = players.flatMap((playerId) => {
          const check = checks.get(playerId);
          return check != null && "refused" in check ? [{ playerId, error: check.refused }] : [];
        });
        if (refused.length > 0) {
          for (const { playerId, error } of refused) {
            await leaveQueue(client, playerId);
            removed.push({ playerId, error });
            await notify(client, { kind: "removed", origin, playerId, code: error.code, message: error.message, details: error.details });
          }
          continue;
        }
        if (a === null || b === null || !("cards" in a) || !("cards" in b)) continue;
        try {
          const ratings = isRated(pair[0].mode) ? ([locked.get(players[0])!.ratingNow, locked.get(players[1])!.ratingNow] as const) : null;
          ready.push(battles.prepareMatch({ mode: pair[0].mode, seats: [{ playerId: players[0], deck: a.cards }, { playerId: players[1], deck: b.cards }], ratings }));
        } catch (error) {
          logger.warn({ err: error, players }, "a pair could not start; both stay queued");
        }
      }
      started = await startAll(client, ready);
    });
    for (const { playerId, error } of removed) removedLocally(playerId, error.code, error.message, error.details);
    for (const match of started) {
      for (const playerId of match.players) queuedFrom.delete(playerId);
      await battles.announce(match);
    }
    return started.map((match) => match.battleId);
  }

  /** The deck a player queues with, checked; throws the deck check's AppError. (Their rating is read as their slot is written.) */
  const deckFor = (connection: Connection & { address: string }, deckId: string) => resolveDeck({ playerId: connection.playerId, address: connection.address }, deckId);

  return {
    /** queue.join: checks the deck, then queues the player (CONFLICT when they already are queued or in a match); one statement for a deck checked here before that still plays as it did. */
    async join(connection: Connection & { address: string }, seq: number, mode: QueueMode, deckId: string): Promise<void> {
      try {
        const slot = { playerId: connection.playerId, mode, deckId, inviteCode: null };
        let queued: { rating: number; deckPower: number } | null = null;
        const last = lastDeckCheck({ playerId: connection.playerId, address: connection.address }, deckId);
        if (last !== undefined) {
          const entry = await enterQueueWithHeldDeck(pool, { ...slot, deckPower: last.power }, last.cardIds);
          if (entry === "busy") throw busy();
          if (entry !== "recheck") queued = { rating: entry.queued.rating, deckPower: last.power };
        }
        if (queued === null) {
          // A deck not checked here yet, or not as it was: the full check (its error refuses the join).
          const deck = await deckFor(connection, deckId);
          const rating = await enterQueue(pool, { ...slot, deckPower: deck.power });
          if (rating === null) throw busy();
          queued = { rating: rating.rating, deckPower: deck.power };
        }
        queuedFrom.set(connection.playerId, connection);
        onActivity(connection.playerId, "in_queue");
        connection.send({ type: "queue.joined", seq, mode, deckPower: queued.deckPower, rating: queued.rating });
        tickSoon();
      } catch (error) {
        errorTo(connection, seq, error);
      }
    },

    /** queue.leave: leaves the queue or withdraws an invite (NOT_FOUND when the player is not queued). */
    async leave(connection: Connection, seq: number): Promise<void> {
      try {
        if (!(await leaveQueue(pool, connection.playerId))) throw new AppError("NOT_FOUND", "You are not in a queue.");
        queuedFrom.delete(connection.playerId);
        onActivity(connection.playerId, null);
        connection.send({ type: "queue.left", seq });
      } catch (error) {
        errorTo(connection, seq, error);
      }
    },

    /** invite.create: parks the player on a new invite code until someone accepts it. */
    async createInvite(connection: Connection & { address: string }, seq: number, deckId: string): Promise<void> {
      try {
        const deck = await deckFor(connection, deckId);
        const code = newInviteCode();
        if ((await enterQueue(pool, { playerId: connection.playerId, mode: "private", deckId, deckPower: deck.power, inviteCode: code })) === null) throw busy();
        queuedFrom.set(connection.playerId, connection);
        onActivity(connection.playerId, "in_queue");
        connection.send({ type: "invite.created", seq, code });
      } catch (error) {
        errorTo(connection, seq, error);
      }
    },

    /** invite.accept: starts the private match at once; the accepting player's battle.started answers `seq`. */
    async acceptInvite(connection: Connection & { address: string }, seq: number, code: string, deckId: string): Promise<void> {
      try {
        const deck = await deckFor(connection, deckId);
        // The host's deck is checked before their invite is locked (see tick: no lock held while the pool is awaited).
        const host = await findInvite(pool, code);
        if (host === null) throw new AppError("NOT_FOUND", "No open invite has that code.");
        if (host.playerId === connection.playerId) throw new AppError("RULE_VIOLATION", "You cannot accept your own invite.", { details: { reason: "OWN_INVITE" } });
        const hostAddress = (await addressesOf([host.playerId])).get(host.playerId) ?? "";
        const hostDeck = await resolveDeck({ playerId: host.playerId, address: hostAddress }, host.deckId).catch((error: unknown) => {
          throw error instanceof AppError ? new AppError("CONFLICT", "The invite's deck no longer plays; ask for a new invite.", { details: { reason: "HOST_DECK_NOT_PLAYABLE" } }) : error;
        });
        const match = await withTransaction(pool, async (client) => {
          if (!sameSlot(host, (await findInvite(client, code, { lock: true })) ?? undefined)) throw new AppError("NOT_FOUND", "No open invite has that code.");
          const match = battles.prepareMatch({ mode: "private", seats: [{ playerId: host.playerId, deck: hostDeck.cards }, { playerId: connection.playerId, deck: deck.cards }] });
          // The battle first (it marks the host's slot only), then the accepting player's slot, which names it.
          await startMatches(client, [{ ...toStart(match), queued: [host.playerId] }], NOTICE_CHANNEL);
          if (!(await enterMatched(client, { playerId: connection.playerId, mode: "private", deckId, deckPower: deck.power }, match.battleId))) throw busy();
          return match;
        });
        await battles.announce(match, (playerId) => (playerId === connection.playerId ? seq : null));
      } catch (error) {
        errorTo(connection, seq, error);
      }
    },

    /** A connection closed: a player who queued from it leaves the queue (a match needs them there to start). */
    async connectionClosed(connection: Connection): Promise<void> {
      if (queuedFrom.get(connection.playerId) !== connection) return;
      queuedFrom.delete(connection.playerId);
      onActivity(connection.playerId, null);
      await leaveQueue(pool, connection.playerId).catch((error: unknown) => logger.error({ err: error }, "could not take a gone player out of the queue"));
    },

    /** What the player is doing, for presence: in a queue, in a match, or neither. */
    async statusOf(playerId: string): Promise<"in_queue" | "in_match" | null> {
      const slot = await slotStateOf(pool, playerId);
      return slot === null ? null : slot.state === "queued" ? "in_queue" : "in_match";
    },

    tick,

    /** Listens for other processes' matches and pairs the queue every `tickIntervalMs`, and soon after each join. */
    async start(): Promise<void> {
      listener = await listenChannel(pool, NOTICE_CHANNEL, onNotice, { onError: (error) => logger.warn({ err: error }, "match notice listener dropped") });
      timer = setInterval(runTick, tickIntervalMs);
      timer.unref();
    },

    async close(): Promise<void> {
      clearInterval(timer);
      clearTimeout(soon);
      timer = undefined;
      await listener?.stop();
    },
  };
}

export type Matchmaker = ReturnType<typeof createMatchmaker>;

import { randomUUID } from "node:crypto";
import type pg from "pg";
import { parseChannel, type ChatChannel } from "@harvest/core/chat/chat-channel";
import { takeChatSlot, isRateStateIdle, defaultChatRate, type ChatRateRule, type ChatRateState } from "@harvest/core/chat/chat-rate";
import { chatRules } from "@harvest/core/chat/chat-rules";
import { normalizeChatText } from "@harvest/core/chat/chat-text";
import type { PlayerActivity, PresenceStatus } from "@harvest/core/chat/presence-status";
import type { ErrorCode } from "@harvest/core/errors/error-codes";
import type { Logger } from "@harvest/core/logging/logger";
import type { ChatClientMessage, ChatServerMessage, PresenceEntry } from "@harvest/core/protocol/chat-messages";
import { CHAT_NOTIFY_CHANNEL, SYNC_CHUNK_SIZE, listenForChat, publishChatNotifications, type ChatListener, type ChatNotification } from "@harvest/db/chat/chat-bus";
import { createGroupCommit } from "@harvest/db/group-commit";
import { battlePlayers, chatHistory, insertChatMessage, pruneChat, recentOpponents, type RecentOpponent, type StoredChatMessage } from "@harvest/db/chat/chat-store";
import { createPresenceBook, type PresenceChange } from "./presence-book.ts";

/** Where one connection's chat and presence messages go (the socket's `send`). */
export type ChatSink = (message: ChatServerMessage) => void;

/** One WebSocket connection as the chat service knows it; it is identified by its `send`. */
export type ChatConnection = { playerId: string; sessionId: string; send: ChatSink };

export type ChatServiceOptions = {
  pool: pg.Pool;
  logger: Logger;
  /** Wall-clock time in ms; injectable for tests. */
  now?: () => number;
  /** How long messages are kept and shown in history (24 h by default). */
  retentionMs?: number;
  /** What matchmaking says of a player: in a queue, in a match, or null (just online). */
  statusOf?: (playerId: string) => PlayerActivity | null;
  /** Messages per player per window, on this instance (5 per 10 s by default). */
  rate?: ChatRateRule;
  historyLimit?: number;
  recentOpponentsWindowMs?: number;
  maxRecentOpponents?: number;
  /** How often old messages are deleted (5 min by default). */
  pruneIntervalMs?: number;
  /** How often this instance repeats its presence views to the others (30 s); views unrepeated for 3 times that expire. */
  presenceSyncIntervalMs?: number;
  /**
   * How long a player's presence settles after its first change before anyone is told (1 s): then
   * the status as it stands is told, if it differs from the last one told. A flap over by then (a
   * match ends and the next begins, a connection drops and comes back) is not told at all, and no
   * change waits longer than this. 0 tells every change at once.
   */
  presenceSettleMs?: number;
  /** Database URL for the LISTEN connection; by default the pool's. */
  connectionString?: string;
};

/** Battles whose players are remembered, so that match chat needs no query per message. */
const MAX_CACHED_BATTLES = 1_000;

/**
 * Chat (a global lobby channel and one channel per battle) and presence (offline, online, in_queue,
 * in_match of each player's recent opponents) over the game's WebSocket connections.
 *
 * A message is normalised, rate-limited per player, authorised (a battle's channel is for its players
 * only), stored, and only then answered (chat.sent) and broadcast (chat.message): to every connection
 * of this instance for the lobby, to the battle's players for a battle channel. The storing statement
 * also NOTIFYs `game_chat`, and every other instance LISTENing there delivers the message to its own
 * connections. Messages older than the retention are deleted periodically.
 *
 * Presence is kept in memory: each instance announces its own view of its players (online while a
 * player has a connection here, or what matchmaking says) over the same NOTIFY channel, and a player's
 * status is the strongest view any instance announced. This is best-effort across instances: a
 * notification lost while a listener reconnects is repaired by the next periodic sync, and the views
 * of an instance that died expire after three sync intervals.
 *
 * Call `start()` once before use (it LISTENs), and `close()` at shutdown.
 */
export function createChatService({
  pool,
  logger,
  now = Date.now,
  retentionMs = chatRules.retentionMs,
  statusOf = () => null,
  rate = defaultChatRate,
  historyLimit = chatRules.historyLimit,
  recentOpponentsWindowMs = chatRules.recentOpponentsWindowMs,
  maxRecentOpponents = chatRules.maxRecentOpponents,
  pruneIntervalMs = 5 * 60_000,
  presenceSyncIntervalMs = 30_000,
  presenceSettleMs = 1_000,
  connectionString = (pool.options as { connectionString?: string }).connectionString,
}: ChatServiceOptions) {
  const instanceId = randomUUID();
  let counter = 0;
  const connections = new Map<ChatSink, ChatConnection>();
  const byPlayer = new Map<string, Set<ChatConnection>>();
  const rates = new Map<string, ChatRateState>();
  /** Local player → the recent opponents whose presence it sees; and the reverse. */
  const watching = new Map<string, Set<string>>();
  const watchers = new Map<string, Set<string>>();
  const battles = new Map<string, readonly string[]>();
  const book = createPresenceBook({ staleAfterMs: 3 * presenceSyncIntervalMs });
  let listener: ChatListener | undefined;
  const timers: NodeJS.Timeout[] = [];
  let closed = false;

  const errorOf = (seq: number, code: ErrorCode, message: string): ChatServerMessage => ({ type: "error", seq, code, message });

  // Presence moves with every queue, match and result: the notifications of a moment go out in one
  // statement (in order, one at a time), not a round trip and a commit each.
  const outgoing = createGroupCommit<ChatNotification, void>(
    async (batch) => {
      await publishChatNotifications(pool, batch);
      return batch.map(() => undefined);
    },
    { maxInFlight: 1 },
  );
  function publish(notification: ChatNotification) {
    if (closed) return Promise.resolve();
    return outgoing.submit(notification).catch((error: unknown) => logger.warn({ err: error, kind: notification.kind }, "chat notification not sent"));
  }

  // --- presence --------------------------------------------------------------------------------

  function tellWatchers(changes: readonly PresenceChange[] | null) {
    for (const { playerId, status } of changes ?? []) {
      const settling = unsettled.get(playerId);
      if (settling !== undefined) settling.told = status;
      for (const watcher of watchers.get(playerId) ?? []) {
        for (const conn of byPlayer.get(watcher) ?? []) conn.send({ type: "presence.changed", playerId, status });
      }
    }
  }

  /**
   * Players whose own view changed within the last `presenceSettleMs`: their status as watchers were
   * last told it, and this instance's view as last announced to the others. Told again only if they
   * differ when it settles.
   */
  const unsettled = new Map<string, { told: PresenceStatus; announced: PresenceStatus; timer: NodeJS.Timeout }>();

  /** Sets this instance's view of a player; tells local watchers and the other instances now, or once it settles. */
  function announce(playerId: string, status: PresenceStatus) {
    if (presenceSettleMs <= 0) {
      const changes = book.setLocal(playerId, status);
      if (changes === null) return;
      tellWatchers(changes);
      void publish({ kind: "presence", origin: instanceId, n: ++counter, playerId, status });
      return;
    }
    if (!unsettled.has(playerId)) {
      const told = book.statusOf(playerId);
      const announced = book.localView(playerId);
      if (announced === status) return;
      const timer = setTimeout(() => settle(playerId), presenceSettleMs);
      timer.unref();
      unsettled.set(playerId, { told, announced, timer });
    }
    book.setLocal(playerId, status);
  }

  function settle(playerId: string) {
    const settling = unsettled.get(playerId);
    if (settling === undefined) return;
    unsettled.delete(playerId);
    const status = book.statusOf(playerId);
    if (status !== settling.told) tellWatchers([{ playerId, status }]);
    const view = book.localView(playerId);
    if (view !== settling.announced) void publish({ kind: "presence", origin: instanceId, n: ++counter, playerId, status: view });
  }

  const localStatus = (playerId: string): PresenceStatus => statusOf(playerId) ?? (byPlayer.has(playerId) ? "online" : "offline");

  async function syncPresence() {
    // An unsettled player is repeated as last announced: the others must not learn of a flap from a
    // sync that its settling then has no reason to correct.
    const entries: [string, PresenceStatus][] = book.localEntries().filter(([playerId]) => !unsettled.has(playerId));
    for (const [playerId, { announced }] of unsettled) if (announced !== "offline") entries.push([playerId, announced]);
    const n = ++counter;
    for (let i = 0; i < entries.length; i += SYNC_CHUNK_SIZE) await publish({ kind: "sync", origin: instanceId, n, entries: entries.slice(i, i + SYNC_CHUNK_SIZE) });
  }

  function unwatch(playerId: string) {
    for (const opponent of watching.get(playerId) ?? []) {
      const set = watchers.get(opponent);
      set?.delete(playerId);
      if (set?.size === 0) watchers.delete(opponent);
    }
    watching.delete(playerId);
  }

  /** Loads a player's recent opponents and, while it is connected here, watches their presence. */
  async function refreshWatchList(playerId: string): Promise<RecentOpponent[]> {
    const opponents = await recentOpponents(pool, playerId, { sinceMs: now() - recentOpponentsWindowMs, limit: maxRecentOpponents });
    if (!byPlayer.has(playerId)) return opponents;
    unwatch(playerId);
    watching.set(playerId, new Set(opponents.map((opponent) => opponent.playerId)));
    for (const { playerId: opponent } of opponents) watchers.set(opponent, (watchers.get(opponent) ?? new Set()).add(playerId));
    return opponents;
  }

  // --- chat ------------------------------------------------------------------------------------

  /** The players who may use a channel (null: everyone, the lobby), or "forbidden". */
  async function audienceOf(channel: ChatChannel, playerId: string): Promise<readonly string[] | null | "forbidden"> {
    if (channel.kind === "lobby") return null;
    let players = battles.get(channel.battleId) ?? null;
    if (players === null) {
      players = await battlePlayers(pool, channel.battleId);
      if (players !== null) {
        battles.set(channel.battleId, players);
        if (battles.size > MAX_CACHED_BATTLES) battles.delete(battles.keys().next().value!);
      }
    }
    return players?.includes(playerId) ? players : "forbidden";
  }

  function deliver(message: StoredChatMessage, recipients: readonly string[] | null) {
    const { channel, ...entry } = message;
    const out: ChatServerMessage = { type: "chat.message", channel, ...entry };
    if (recipients === null) {
      for (const conn of connections.values()) conn.send(out);
      return;
    }
    for (const playerId of new Set(recipients)) for (const conn of byPlayer.get(playerId) ?? []) conn.send(out);
  }

  async function send(conn: ChatConnection, message: Extract<ChatClientMessage, { type: "chat.send" }>) {
    const parsed = parseChannel(message.channel);
    if (!parsed.ok) return conn.send(errorOf(message.seq, parsed.code, parsed.message));
    const text = normalizeChatText(message.text);
    if (!text.ok) return conn.send(errorOf(message.seq, text.code, text.message));
    const audience = await audienceOf(parsed.channel, conn.playerId);
    if (audience === "forbidden") return conn.send(errorOf(message.seq, "FORBIDDEN", "this battle's chat is for its players only"));
    const slot = takeChatSlot(rates.get(conn.playerId) ?? [], now(), rate);
    if (!slot.ok) return conn.send(errorOf(message.seq, slot.code, `too many messages; wait ${Math.ceil(slot.retryAfterMs / 1000)} s`));
    rates.set(conn.playerId, slot.state);
    const stored = await insertChatMessage(
      pool,
      { channel: parsed.name, playerId: conn.playerId, text: text.text, sentAtMs: now() },
      { notifyChannel: CHAT_NOTIFY_CHANNEL, origin: instanceId, recipients: audience },
    );
    conn.send({ type: "chat.sent", seq: message.seq, channel: parsed.name, id: stored.id });
    deliver(stored, audience);
  }

  async function history(conn: ChatConnection, message: Extract<ChatClientMessage, { type: "chat.history" }>) {
    const parsed = parseChannel(message.channel);
    if (!parsed.ok) return conn.send(errorOf(message.seq, parsed.code, parsed.message));
    if ((await audienceOf(parsed.channel, conn.playerId)) === "forbidden") return conn.send(errorOf(message.seq, "FORBIDDEN", "this battle's chat is for its players only"));
    const messages = await chatHistory(pool, parsed.name, { sinceMs: now() - retentionMs, limit: historyLimit, beforeId: message.before });
    conn.send({ type: "chat.history", seq: message.seq, channel: parsed.name, messages: messages.map(({ channel: _channel, ...entry }) => entry) });
  }

  async function presence(conn: ChatConnection, seq: number) {
    const opponents = await refreshWatchList(conn.playerId);
    const players: PresenceEntry[] = opponents.map((opponent) => ({ ...opponent, status: book.statusOf(opponent.playerId) }));
    conn.send({ type: "presence", seq, players });
  }

  // --- other instances -------------------------------------------------------------------------

  function onNotification(notification: ChatNotification) {
    if (closed || notification.origin === instanceId) return;
    switch (notification.kind) {
      case "message":
        // Only the lobby goes to everyone; a battle message without its recipients goes to no one.
        if (notification.recipients === null && notification.message.channel !== "lobby") return;
        return deliver(notification.message, notification.recipients);
      case "presence":
        return tellWatchers(book.applyRemote(notification.origin, notification.n, [[notification.playerId, notification.status]], now()));
      case "sync":
        return tellWatchers(book.applyRemote(notification.origin, notification.n, notification.entries, now()));
      case "hello":
        return void syncPresence();
      case "bye":
        return tellWatchers(book.forgetOrigin(notification.origin));
    }
  }

  /** Deletes messages older than the retention and forgets idle rate limits; returns how many messages went. */
  async function prune(): Promise<number> {
    for (const [playerId, state] of rates) if (isRateStateIdle(state, now(), rate)) rates.delete(playerId);
    const deleted = await pruneChat(pool, now() - retentionMs);
    if (deleted > 0) logger.info({ deleted }, "old chat messages deleted");
    return deleted;
  }

  const pruneQuietly = () => prune().catch((error: unknown) => logger.warn({ err: error }, "chat prune failed"));

  function every(ms: number, work: () => unknown) {
    const timer = setInterval(work, ms);
    timer.unref();
    timers.push(timer);
  }

  return {
    /** This instance's id in presence notifications. */
    instanceId,

    /** LISTENs for other instances' messages and presence, and starts pruning and presence syncs. */
    async start(): Promise<void> {
      if (connectionString === undefined) throw new Error("the chat service needs a connection string to LISTEN");
      listener = listenForChat({
        connectionString,
        onNotification,
        onError: (error) => logger.warn({ err: error }, "chat listener lost its connection; reconnecting"),
        // On every (re)connection: ask the others for their views, and give ours.
        onListening: () => void publish({ kind: "hello", origin: instanceId }).then(syncPresence),
      });
      await listener.ready;
      every(pruneIntervalMs, pruneQuietly);
      every(presenceSyncIntervalMs, () => {
        tellWatchers(book.expire(now()));
        void syncPresence();
      });
      await pruneQuietly();
    },

    /** Runs the retention prune now (it also runs every `pruneIntervalMs`); returns how many messages were deleted. */
    prune,

    /** A connection opened: the player is online (if it was not), and sees its recent opponents' presence changes. */
    async connected(conn: ChatConnection): Promise<void> {
      connections.set(conn.send, conn);
      const mine = byPlayer.get(conn.playerId) ?? new Set<ChatConnection>();
      mine.add(conn);
      byPlayer.set(conn.playerId, mine);
      if (mine.size === 1) {
        announce(conn.playerId, localStatus(conn.playerId));
        await refreshWatchList(conn.playerId).catch((error: unknown) => logger.warn({ err: error, playerId: conn.playerId }, "recent opponents not loaded"));
      }
    },

    /** A connection closed (pass the same `send` as to connected): with its last one, the player goes offline here. */
    disconnected(conn: Pick<ChatConnection, "send">): void {
      const known = connections.get(conn.send);
      if (known === undefined) return;
      connections.delete(conn.send);
      const mine = byPlayer.get(known.playerId);
      mine?.delete(known);
      if (mine === undefined || mine.size > 0) return;
      byPlayer.delete(known.playerId);
      unwatch(known.playerId);
      announce(known.playerId, localStatus(known.playerId));
    },

    /** Handles chat.send, chat.history and presence.get of the connection's player; answers through conn.send, never rejects. */
    async handle(conn: ChatConnection, message: ChatClientMessage): Promise<void> {
      try {
        if (message.type === "chat.send") await send(conn, message);
        else if (message.type === "chat.history") await history(conn, message);
        else await presence(conn, message.seq);
      } catch (error) {
        logger.error({ err: error, playerId: conn.playerId, type: message.type }, "chat message failed");
        conn.send(errorOf(message.seq, "INTERNAL", "the message could not be handled"));
      }
    },

    /**
     * Matchmaking says a player's activity changed (joined or left a queue, a match began or ended):
     * its recent opponents hear presence.changed, here and on the other instances. null means "just
     * online" while the player has a connection here, else offline as far as this instance knows.
     */
    setStatus(playerId: string, status: PlayerActivity | null): void {
      announce(playerId, status ?? (byPlayer.has(playerId) ? "online" : "offline"));
    },

    /** A player's status as this instance knows it. */
    presenceOf: (playerId: string): PresenceStatus => book.statusOf(playerId),

    /** Stops timers and listening, and tells the other instances to forget this one's presence views. */
    async close(): Promise<void> {
      for (const timer of timers) clearInterval(timer);
      for (const { timer } of unsettled.values()) clearTimeout(timer);
      unsettled.clear();
      await publish({ kind: "bye", origin: instanceId });
      closed = true;
      await listener?.stop();
      connections.clear();
      byPlayer.clear();
      watching.clear();
      watchers.clear();
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;

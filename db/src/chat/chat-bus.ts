import pg from "pg";
import { z } from "zod";
import { presenceStatuses } from "@harvest/core/chat/presence-status";

/** The Postgres NOTIFY channel on which game-server instances share chat messages and presence. */
export const CHAT_NOTIFY_CHANNEL = "game_chat";

const status = z.enum(presenceStatuses);
const origin = z.string().min(1).max(64);

/**
 * What instances tell each other (each NOTIFY payload is one JSON object, under Postgres' 8000 bytes):
 * - `message`: a stored chat message (sent by insertChatMessage in the inserting statement), with the
 *   players who may receive it (null: the lobby, everyone);
 * - `presence`: the origin instance's view of one player changed; `n` grows with every notification
 *   of that origin, so that a late one never overwrites a newer one;
 * - `sync`: the origin's views of all its players (in chunks), repeated so that views expire when an
 *   instance dies without saying goodbye;
 * - `hello`: the origin (re)started listening and knows nothing: every other instance answers with a sync;
 * - `bye`: the origin is shutting down; forget its views.
 */
export const chatNotificationSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("message"),
    origin,
    recipients: z.array(z.string()).nullable(),
    message: z.object({
      channel: z.string(),
      id: z.string(),
      from: z.object({ playerId: z.string(), name: z.string().nullable() }),
      text: z.string(),
      sentAtMs: z.number(),
    }),
  }),
  z.object({ kind: z.literal("presence"), origin, n: z.number().int(), playerId: z.string(), status }),
  z.object({ kind: z.literal("sync"), origin, n: z.number().int(), entries: z.array(z.tuple([z.string(), status])) }),
  z.object({ kind: z.literal("hello"), origin }),
  z.object({ kind: z.literal("bye"), origin }),
]);

export type ChatNotification = z.infer<typeof chatNotificationSchema>;

/** Entries per `sync` notification: about 40 bytes each keeps a payload far below 8000 bytes. */
export const SYNC_CHUNK_SIZE = 100;

/** A notification's payload, or null when it is not one (another version, or garbage). */
export function parseChatNotification(payload: string): ChatNotification | null {
  try {
    const result = chatNotificationSchema.safeParse(JSON.parse(payload));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/**
 * Sends notifications to every listening instance (this one included), in order, in one statement
 * (one round trip and one commit for all of them), delivered at commit.
 */
export async function publishChatNotifications(db: pg.Pool | pg.ClientBase, notifications: readonly ChatNotification[]): Promise<void> {
  if (notifications.length === 0) return;
  await db.query({
    name: "chat-publish",
    text: `SELECT pg_notify($1, t.payload) FROM unnest($2::text[]) WITH ORDINALITY AS t(payload, n) ORDER BY t.n`,
    values: [CHAT_NOTIFY_CHANNEL, notifications.map((notification) => JSON.stringify(notification))],
  });
}

export type ChatListenerOptions = {
  /** Database URL; the listener holds one dedicated connection (LISTEN does not work through a pool). */
  connectionString: string;
  onNotification: (notification: ChatNotification) => void;
  /** Told when the connection fails; the listener reconnects after `reconnectDelayMs`. */
  onError?: (error: Error) => void;
  /** Told after every (re)connection: notifications sent while it was down are lost. */
  onListening?: () => void;
  reconnectDelayMs?: number;
};

/**
 * LISTENs on {@link CHAT_NOTIFY_CHANNEL} on a dedicated connection and hands every well-formed
 * notification to `onNotification`; reconnects when the connection fails, until stopped.
 * `ready` settles once the first LISTEN is in place (or rejects when the first connection fails).
 */
export function listenForChat({ connectionString, onNotification, onError, onListening, reconnectDelayMs = 1_000 }: ChatListenerOptions) {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString, application_name: "harvest-chat" });
    next.on("notification", (message) => {
      if (message.channel !== CHAT_NOTIFY_CHANNEL || !message.payload) return;
      const notification = parseChatNotification(message.payload);
      if (notification !== null) onNotification(notification);
    });
    // Once listening, a lost connection is replaced; during set-up, connect() reports the failure.
    const lost = (error: Error) => {
      if (client !== next) return;
      client = undefined;
      onError?.(error);
      void next.end().catch(() => {});
      scheduleReconnect();
    };
    next.on("error", lost);
    next.on("end", () => lost(new Error("the chat listener's connection ended")));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHAT_NOTIFY_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (stopped) return void (await next.end().catch(() => {}));
    client = next;
    onListening?.();
  }

  function scheduleReconnect() {
    if (stopped || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: unknown) => {
        onError?.(error instanceof Error ? error : new Error(String(error)));
        scheduleReconnect();
      });
    }, reconnectDelayMs);
    retry.unref();
  }

  return {
    ready: connect(),
    /** Whether the LISTEN connection is up. */
    isListening: () => client !== undefined,
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}

export type ChatListener = ReturnType<typeof listenForChat>;

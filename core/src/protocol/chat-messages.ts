import { z } from "zod";
import type { PresenceStatus } from "../chat/presence-status.ts";

// Chat and presence over the game server's WebSocket (docs/protocol.md, "Chat and presence"). The
// client schemas join the socket server's discriminated union on `type`; answers echo the client's
// `seq`. The schemas check shape and size only; the chat rules (core/src/chat) decide the rest, so
// that a bad channel or text is answered with a precise VALIDATION_FAILED.

export type { PresenceStatus } from "../chat/presence-status.ts";

const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** `lobby` or `battle:<uuid>`; parsed by parseChannel. */
const channel = z.string().min(1).max(64);
/** Before normalisation; the rule allows 280 characters after it (core/src/chat/chat-rules.ts). */
const text = z.string().max(2_000);
/** A chat message id: a positive bigint as a decimal string. */
const messageId = z.string().regex(/^[1-9][0-9]{0,18}$/);

/** Send `text` to `channel`; answered with chat.sent once it is stored, or an error. */
export const chatSendSchema = z.object({ type: z.literal("chat.send"), seq, channel, text }).strict();
/** The channel's last messages (oldest first), those before message `before` when given. */
export const chatHistorySchema = z.object({ type: z.literal("chat.history"), seq, channel, before: messageId.optional() }).strict();
/** The presence of your recent opponents. */
export const presenceGetSchema = z.object({ type: z.literal("presence.get"), seq }).strict();

/** The chat client messages, to spread into the socket server's `z.discriminatedUnion("type", [...])`. */
export const chatClientMessageSchemas = [chatSendSchema, chatHistorySchema, presenceGetSchema] as const;
/** The chat client messages alone. */
export const chatClientMessageSchema = z.discriminatedUnion("type", chatClientMessageSchemas);
export type ChatClientMessage = z.infer<typeof chatClientMessageSchema>;

export const chatClientMessageTypes: readonly ChatClientMessage["type"][] = ["chat.send", "chat.history", "presence.get"];

/** Whether a validated client message is one the chat service handles. */
export function isChatClientMessage<M extends { type: string }>(message: M): message is Extract<M, ChatClientMessage> {
  return (chatClientMessageTypes as readonly string[]).includes(message.type);
}

/** Who sent a message: the player id and display name (null when the player has not chosen one). */
export type ChatSender = { playerId: string; name: string | null };

/** One stored message; `id` orders a channel's messages. */
export type ChatEntry = { id: string; from: ChatSender; text: string; sentAtMs: number };

export type PresenceEntry = { playerId: string; name: string | null; status: PresenceStatus };

export type ChatServerMessage =
  | { type: "chat.sent"; seq: number; channel: string; id: string }
  | ({ type: "chat.message"; channel: string } & ChatEntry)
  | { type: "chat.history"; seq: number; channel: string; messages: ChatEntry[] }
  | { type: "presence"; seq: number; players: PresenceEntry[] }
  | { type: "presence.changed"; playerId: string; status: PresenceStatus }
  | { type: "error"; seq: number | null; code: string; message: string };

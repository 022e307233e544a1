import { z } from "zod";
import { clientBattleActionSchema } from "../battle/action-schema.ts";
import { chatClientMessageSchemas, type ChatServerMessage } from "./chat-messages.ts";
import type { BattleEvent } from "../battle/events.ts";
import type { BattleResult } from "../battle/state.ts";
import type { CardDef } from "../battle/cards.ts";
import type { CompactBattleView } from "../battle/compact-views.ts";
import type { ViewChanges } from "../battle/view-changes.ts";

// The game server's WebSocket protocol: JSON messages, each with a `type`. Client messages carry
// `seq`, a per-connection sequence number the server echoes in its answer. Shared by the server and
// any client written in TypeScript; docs/protocol.md describes it for other clients.

/**
 * The protocol's version, in `welcome`. 2: views name cards by id; snapshots (battle.started,
 * battle.state) carry the cards' definitions, and events the cards they show (compact-views.ts).
 * 3: an accepted battle.action is answered by the actor's battle.events, carrying its seq (no
 * separate battle.ack). 4: battle.events carries the view's changes since `baseSeq`, not the whole
 * view (view-changes.ts).
 */
export const PROTOCOL_VERSION = 4;

/** Close codes the server uses, beside the table in core/src/errors (4401, 4403, 4429, ...). */
export const closeCodes = {
  SESSION_REVOKED: 4401,
  MESSAGE_TOO_LARGE: 4413,
  RATE_LIMITED: 4429,
  SERVER_SHUTTING_DOWN: 1001,
  SLOW_CONSUMER: 4408,
} as const;

const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
// Lowercased: a battle is one key in the server's memory and its locks, however a client spells it.
const battleId = z.uuid().transform((id) => id.toLowerCase());
const deckId = z.uuid();
/** Invite codes: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L). */
export const inviteCodeSchema = z.string().regex(/^[A-HJKMNP-Z2-9]{8}$/, "an invite code is 8 letters and digits");

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping"), seq }).strict(),
  /** Start a practice battle against the bot, with one of your decks or (without deckId) the starter deck. */
  z.object({ type: z.literal("practice.start"), seq, deckId: deckId.optional() }).strict(),
  /** One action in a battle; the player is the session's, never named by the client. */
  z.object({ type: z.literal("battle.action"), seq, battleId, action: clientBattleActionSchema }).strict(),
  /** Your current view of a battle (after a reconnect), and its events from now on over this connection. */
  z.object({ type: z.literal("battle.resume"), seq, battleId }).strict(),
  /** Queue for a ranked or casual match with one of your decks. */
  z.object({ type: z.literal("queue.join"), seq, mode: z.enum(["ranked", "casual"]), deckId }).strict(),
  /** Leave the queue (or withdraw your invite). */
  z.object({ type: z.literal("queue.leave"), seq }).strict(),
  /** Make an invite code for a private match with one of your decks; the match starts when someone accepts it. */
  z.object({ type: z.literal("invite.create"), seq, deckId }).strict(),
  /** Accept a private match's invite code with one of your decks. */
  z.object({ type: z.literal("invite.accept"), seq, code: inviteCodeSchema, deckId }).strict(),
  // chat.send, chat.history, presence.get (chat-messages.ts).
  ...chatClientMessageSchemas,
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | ChatServerMessage
  | { type: "welcome"; playerId: string; address: string; serverTimeMs: number; protocolVersion: number }
  | { type: "pong"; seq: number; serverTimeMs: number }
  | { type: "error"; seq: number | null; code: string; message: string; details?: unknown }
  /**
   * seq is the practice.start or invite.accept it answers; null for a match the matchmaker made.
   * A snapshot: `cards` defines every card id in `view`.
   */
  | { type: "battle.started"; seq: number | null; battleId: string; mode: string; view: CompactBattleView; cards: CardDef[] }
  /** A snapshot, as battle.started: the answer to battle.resume, or (seq null) sent first to a connection that acts on a battle it never resumed. */
  | { type: "battle.state"; seq: number | null; battleId: string; view: CompactBattleView; cards: CardDef[] }
  /**
   * What happened, redacted for the receiving player, and how that player's view changed: `changes`
   * turn the view whose `seq` is `baseSeq` into the view afterwards (applyViewChanges); a client
   * holding another view asks for a snapshot. A new card in the view is whole in an event. `seq` is
   * that of your battle.action these events answer (the action is accepted and stored), on the
   * connection that sent it; null for anything else (your opponent's actions, the timer, the bot,
   * and your other connections).
   */
  | { type: "battle.events"; seq: number | null; battleId: string; events: BattleEvent[]; baseSeq: number; changes: ViewChanges }
  | { type: "battle.ended"; battleId: string; result: BattleResult; settlement?: PlayerSettlement }
  | { type: "queue.joined"; seq: number; mode: "ranked" | "casual"; deckPower: number; rating: number }
  | { type: "queue.left"; seq: number }
  /** The queue let go of you without a match: your deck no longer plays (a card sold or rented out), say. */
  | { type: "queue.removed"; code: string; message: string; details?: unknown }
  | { type: "invite.created"; seq: number; code: string }
  /** Your opponent's connection dropped (they have until graceEndsAtMs to come back) or came back. */
  | { type: "battle.opponent"; battleId: string; playerId: string; status: "disconnected" | "reconnected"; graceEndsAtMs?: number };

/** What a finished match between players changed for the receiving player. */
export type PlayerSettlement = {
  outcome: "win" | "draw" | "loss";
  /** Ranked only: the Glicko-2 rating before and after. */
  rating: { before: { rating: number; rd: number; vol: number }; after: { rating: number; rd: number; vol: number } } | null;
  reward: { resources: { kind: string; quality: number; quantity: number }[]; seeds: number };
};

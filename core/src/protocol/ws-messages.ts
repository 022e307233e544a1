import { z } from "zod";
import { clientBattleActionSchema } from "../battle/action-schema.ts";
import type { BattleEvent } from "../battle/events.ts";
import type { BattleResult } from "../battle/state.ts";
import type { BattleView } from "../battle/views.ts";

// The game server's WebSocket protocol: JSON messages, each with a `type`. Client messages carry
// `seq`, a per-connection sequence number the server echoes in its answer. Shared by the server and
// any client written in TypeScript; docs/protocol.md describes it for other clients.

/** Close codes the server uses, beside the table in core/src/errors (4401, 4403, 4429, ...). */
export const closeCodes = {
  SESSION_REVOKED: 4401,
  MESSAGE_TOO_LARGE: 4413,
  RATE_LIMITED: 4429,
  SERVER_SHUTTING_DOWN: 1001,
  SLOW_CONSUMER: 4408,
} as const;

const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const battleId = z.uuid();

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping"), seq }).strict(),
  /** Start a practice battle against the bot. */
  z.object({ type: z.literal("practice.start"), seq }).strict(),
  /** One action in a battle; the player is the session's, never named by the client. */
  z.object({ type: z.literal("battle.action"), seq, battleId, action: clientBattleActionSchema }).strict(),
  /** Your current view of a battle (after a reconnect), and its events from now on over this connection. */
  z.object({ type: z.literal("battle.resume"), seq, battleId }).strict(),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: "welcome"; playerId: string; address: string; serverTimeMs: number }
  | { type: "pong"; seq: number; serverTimeMs: number }
  | { type: "error"; seq: number | null; code: string; message: string }
  | { type: "battle.started"; seq: number; battleId: string; view: BattleView }
  | { type: "battle.ack"; seq: number; battleId: string }
  | { type: "battle.state"; seq: number; battleId: string; view: BattleView }
  /** What happened, redacted for the receiving player, and that player's view afterwards. */
  | { type: "battle.events"; battleId: string; events: BattleEvent[]; view: BattleView }
  | { type: "battle.ended"; battleId: string; result: BattleResult };

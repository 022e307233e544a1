import { z } from "zod";

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

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping"), seq }).strict(),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: "welcome"; playerId: string; address: string; serverTimeMs: number }
  | { type: "pong"; seq: number; serverTimeMs: number }
  | { type: "error"; seq: number | null; code: string; message: string };

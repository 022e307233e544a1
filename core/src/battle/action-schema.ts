import { z } from "zod";
import type { BattleAction } from "./actions.ts";
import { battleRules } from "./rules.ts";

const ref = z.string().min(1).max(battleRules.maxCardIdLength);

/**
 * What a client may send over the socket. It names no player (the server takes the player from
 * the authenticated session) and cannot send `turn_timeout` (only the server's timer does).
 */
export const clientBattleActionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("play_card"), cardId: ref, target: ref.optional() }),
  z.strictObject({ type: z.literal("attack"), attackerId: ref, target: ref }),
  z.strictObject({ type: z.literal("end_turn") }),
  z.strictObject({ type: z.literal("concede") }),
]);

export type ClientBattleAction = z.infer<typeof clientBattleActionSchema>;

/**
 * The engine action for a parsed client message from `playerId`.
 *
 * @example
 * const parsed = clientBattleActionSchema.safeParse(message);
 * if (parsed.success) applyAction(state, toBattleAction(parsed.data, session.playerId), now);
 */
export function toBattleAction(message: ClientBattleAction, playerId: string): BattleAction {
  if (message.type === "play_card") {
    return message.target === undefined
      ? { type: "play_card", playerId, cardId: message.cardId }
      : { type: "play_card", playerId, cardId: message.cardId, target: message.target };
  }
  if (message.type === "attack") return { type: "attack", playerId, attackerId: message.attackerId, target: message.target };
  return { type: message.type, playerId };
}

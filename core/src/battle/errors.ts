import type { ErrorCode } from "../errors/error-codes.ts";

/**
 * The closed table of reasons the battle engine refuses something. Each maps to the shared error
 * table (`appCode`) so that a transport can turn a refusal into its own status without a second
 * table; the message is a default safe to show to the player.
 */
export const battleErrors = {
  INVALID_ACTION: { appCode: "VALIDATION_FAILED", message: "the action is malformed" },
  INVALID_BATTLE: { appCode: "VALIDATION_FAILED", message: "the battle parameters are invalid" },
  INVALID_DECK: { appCode: "RULE_VIOLATION", message: "the deck breaks the deck rules" },
  UNKNOWN_PLAYER: { appCode: "FORBIDDEN", message: "the player is not in this battle" },
  BATTLE_OVER: { appCode: "RULE_VIOLATION", message: "the battle is over" },
  NOT_YOUR_TURN: { appCode: "RULE_VIOLATION", message: "it is not your turn" },
  TURN_EXPIRED: { appCode: "RULE_VIOLATION", message: "your turn time has run out" },
  TURN_NOT_EXPIRED: { appCode: "RULE_VIOLATION", message: "the turn time has not run out yet" },
  CARD_NOT_IN_HAND: { appCode: "RULE_VIOLATION", message: "the card is not in your hand" },
  NOT_ENOUGH_MANA: { appCode: "RULE_VIOLATION", message: "not enough mana" },
  BOARD_FULL: { appCode: "RULE_VIOLATION", message: "your board is full" },
  INVALID_TARGET: { appCode: "RULE_VIOLATION", message: "invalid target" },
  UNIT_NOT_FOUND: { appCode: "RULE_VIOLATION", message: "the attacker is not on your board" },
  UNIT_CANNOT_ATTACK: { appCode: "RULE_VIOLATION", message: "the unit cannot attack now" },
  UNIT_ALREADY_ATTACKED: { appCode: "RULE_VIOLATION", message: "the unit has already attacked this turn" },
  MUST_ATTACK_TAUNT: { appCode: "RULE_VIOLATION", message: "a unit with taunt must be attacked first" },
  REPLAY_MISMATCH: { appCode: "INTERNAL", message: "the stored battle does not replay" },
} as const satisfies Record<string, { appCode: ErrorCode; message: string }>;

export type BattleErrorCode = keyof typeof battleErrors;

/** An expected refusal: returned, never thrown. The input state is untouched. */
export type Rejection = { ok: false; code: BattleErrorCode; message: string };

/** A refusal with `code` and a message (the table's default unless `message` says more). */
export function reject(code: BattleErrorCode, message: string = battleErrors[code].message): Rejection {
  return { ok: false, code, message };
}

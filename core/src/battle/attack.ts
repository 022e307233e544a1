import type { AttackAction } from "./actions.ts";
import { hasAbility } from "./cards.ts";
import { otherSeat, type Draft } from "./draft.ts";
import { combatantOf, dealDamage, type Spot } from "./effects.ts";
import { reject, type Rejection } from "./errors.ts";

/**
 * An attack by a unit of the player at `seat` (whose turn it is). Checks, in order: the attacker
 * is on its board, has not attacked this turn, has attack above 0 and was not played this turn
 * (unless charge); the target is the enemy hero or an enemy unit; if the enemy has taunt units, the
 * target is one of them. Attacker and defending unit strike each other at once; a hero strikes back
 * with nothing.
 */
export function attack(draft: Draft, seat: 0 | 1, action: AttackAction): Rejection | null {
  const battle = draft.battle;
  const enemySeat = otherSeat(seat);
  const unit = battle.players[seat].board.find((u) => u.card.id === action.attackerId);
  if (unit === undefined) return reject("UNIT_NOT_FOUND");
  if (unit.lastAttackTurn === battle.turn) return reject("UNIT_ALREADY_ATTACKED");
  if (unit.card.attack <= 0) return reject("UNIT_CANNOT_ATTACK", "a unit with 0 attack cannot attack");
  if (unit.summonedOnTurn === battle.turn && !hasAbility(unit.card, "charge")) {
    return reject("UNIT_CANNOT_ATTACK", "a unit attacks from the turn after it is played, unless it has charge");
  }
  const enemyBoard = battle.players[enemySeat].board;
  const defender = action.target === "hero" ? null : enemyBoard.find((u) => u.card.id === action.target);
  if (defender === undefined) return reject("INVALID_TARGET", "attack the enemy hero or an enemy unit");
  if (enemyBoard.some((u) => hasAbility(u.card, "taunt")) && (defender === null || !hasAbility(defender.card, "taunt"))) {
    return reject("MUST_ATTACK_TAUNT");
  }

  unit.lastAttackTurn = battle.turn;
  const target: Spot = { seat: enemySeat, unitId: defender === null ? null : defender.card.id };
  draft.events.push({ type: "unit_attacked", playerId: battle.players[seat].playerId, attackerId: unit.card.id, target: combatantOf(draft, target) });
  dealDamage(draft, target, unit.card.attack, "attack", unit.card.id);
  if (defender !== null) dealDamage(draft, { seat, unitId: unit.card.id }, defender.card.attack, "attack", defender.card.id);
  return null;
}

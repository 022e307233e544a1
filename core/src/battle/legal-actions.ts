import type { BattleAction } from "./actions.ts";
import { hasAbility, type CardDef } from "./cards.ts";
import { battleRules } from "./rules.ts";
import type { BoardUnit } from "./state.ts";
import type { BattleView } from "./views.ts";

/**
 * Every legal play_card, attack and end_turn of the viewer, from its own view alone (none when it
 * is not its turn or the battle is over). Concede is always legal and left out; the timer is not
 * considered. The practice bot chooses from this list; the property tests use it as a second,
 * independent statement of the rules.
 *
 * @example
 * legalActions(viewFor(state, "alice")) // [{ type: "play_card", playerId: "alice", cardId: "c1" }, ..., { type: "end_turn", playerId: "alice" }]
 */
export function legalActions(view: BattleView): BattleAction[] {
  if (view.result !== null || view.activePlayerId !== view.you.playerId) return [];
  const playerId = view.you.playerId;
  const actions: BattleAction[] = [];
  for (const card of view.you.hand) {
    if (card.cost > view.you.mana) continue;
    if (card.kind === "unit" && view.you.board.length >= battleRules.maxBoardSize) continue;
    for (const target of playTargets(view, card)) {
      actions.push(target === undefined ? { type: "play_card", playerId, cardId: card.id } : { type: "play_card", playerId, cardId: card.id, target });
    }
  }
  const taunts = view.opponent.board.filter((unit) => hasAbility(unit.card, "taunt"));
  const attackTargets = taunts.length > 0 ? taunts.map(idOf) : ["hero", ...view.opponent.board.map(idOf)];
  for (const unit of view.you.board) {
    if (!canAttackNow(unit, view.turn)) continue;
    for (const target of attackTargets) actions.push({ type: "attack", playerId, attackerId: unit.card.id, target });
  }
  actions.push({ type: "end_turn", playerId });
  return actions;
}

/** Whether a unit may attack on battle turn `turn` (on its owner's turn). */
export function canAttackNow(unit: BoardUnit, turn: number): boolean {
  if (unit.card.attack <= 0 || unit.lastAttackTurn === turn) return false;
  return unit.summonedOnTurn < turn || hasAbility(unit.card, "charge");
}

function playTargets(view: BattleView, card: CardDef): (string | undefined)[] {
  if (card.kind === "unit") return [undefined];
  if (hasAbility(card, "damage")) return ["hero", ...view.you.board.map(idOf), ...view.opponent.board.map(idOf)];
  if (hasAbility(card, "heal")) return [undefined, "own_hero", ...view.you.board.map(idOf)];
  return [undefined];
}

const idOf = (unit: BoardUnit) => unit.card.id;

import type { BattleAction } from "./actions.ts";
import { abilityAmount, hasAbility } from "./cards.ts";
import { legalActions } from "./legal-actions.ts";
import type { Rng } from "./random.ts";
import { battleRules } from "./rules.ts";
import type { BattleView } from "./views.ts";

/**
 * The practice bot's next action, from its own view only (it cannot cheat: it never sees the
 * player's hand or any deck order). Greedy: it scores every legal action, takes the best (ties
 * broken by `rng`), and ends its turn when nothing scores above zero. Null when it has nothing to
 * do (not its turn, or the battle is over); it never concedes.
 *
 * @example
 * const action = chooseBotAction(viewFor(state, botId), rng);
 * if (action) state = applyAction(state, action, now).state;
 */
export function chooseBotAction(view: BattleView, rng: Rng): BattleAction | null {
  const candidates = legalActions(view);
  if (candidates.length === 0) return null;
  let best: BattleAction[] = [];
  let bestScore = -Infinity;
  for (const action of candidates) {
    const score = scoreOf(view, action);
    if (score > bestScore) [best, bestScore] = [[action], score];
    else if (score === bestScore) best.push(action);
  }
  return best[rng.nextInt(best.length)] ?? { type: "end_turn", playerId: view.you.playerId };
}

function scoreOf(view: BattleView, action: BattleAction): number {
  if (action.type === "play_card") return playScore(view, action.cardId, action.target);
  if (action.type === "attack") return attackScore(view, action.attackerId, action.target);
  return 0;
}

/** Spend mana: dearer cards first; spells only where they help. */
function playScore(view: BattleView, cardId: string, target: string | undefined): number {
  const card = view.you.hand.find((c) => c.id === cardId);
  if (card === undefined) return -1;
  if (card.kind === "unit") return 10 + card.cost;
  if (hasAbility(card, "damage")) {
    if (target === "hero") return 5 + card.cost;
    const enemy = view.opponent.board.find((u) => u.card.id === target);
    if (enemy === undefined) return -1; // never burn its own units
    return (enemy.health <= abilityAmount(card, "damage") ? 12 : 6) + card.cost + enemy.card.attack;
  }
  if (hasAbility(card, "heal")) {
    const missing = battleRules.startingHealth - view.you.health;
    return target === "own_hero" && missing >= abilityAmount(card, "heal") ? 4 + card.cost : -1;
  }
  return view.you.handCount < 6 ? 3 + card.cost : -1;
}

/** Trade up when it can kill without dying, otherwise go for the hero. */
function attackScore(view: BattleView, attackerId: string, target: string): number {
  const attacker = view.you.board.find((u) => u.card.id === attackerId);
  if (attacker === undefined) return -1;
  if (target === "hero") return 8 + attacker.card.attack;
  const defender = view.opponent.board.find((u) => u.card.id === target);
  if (defender === undefined) return -1;
  const kills = defender.shield ? false : defender.health <= attacker.card.attack;
  const survives = attacker.shield || attacker.health > defender.card.attack;
  return (kills ? 6 : 1) + (survives ? 4 : 0) + defender.card.attack;
}

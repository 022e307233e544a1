import { battleRules } from "./rules.ts";
import { endBattle, type Draft } from "./draft.ts";
import type { BattleEvent } from "./events.ts";

/** A hero (`unitId` null) or a unit, by seat: the engine's internal address of a target. */
export type Spot = { seat: 0 | 1; unitId: string | null };

type DamageCause = Extract<BattleEvent, { type: "damage_dealt" }>["cause"];

/** The public name of a spot, as events carry it. */
export function combatantOf(draft: Draft, spot: Spot) {
  return { playerId: draft.battle.players[spot.seat].playerId, unitId: spot.unitId };
}

/**
 * The player at `seat` draws `count` cards, one at a time: from an empty deck it takes fatigue
 * damage (1, then 2, then 3...), into a full hand the card is burned (revealed and lost).
 */
export function drawCards(draft: Draft, seat: 0 | 1, count: number): void {
  const player = draft.battle.players[seat];
  for (let i = 0; i < count; i++) {
    const card = player.deck.shift();
    if (card === undefined) {
      player.fatigue += 1;
      dealDamage(draft, { seat, unitId: null }, player.fatigue, "fatigue", null);
    } else if (player.hand.length >= battleRules.maxHandSize) {
      player.burned.push(card);
      draft.events.push({ type: "card_burned", playerId: player.playerId, card });
    } else {
      player.hand.push(card);
      draft.events.push({ type: "card_drawn", playerId: player.playerId, card });
    }
  }
}

/** Deals `amount` to a spot. A standing shield absorbs all of it and breaks. Dead units stay until `settle`. */
export function dealDamage(draft: Draft, spot: Spot, amount: number, cause: DamageCause, sourceId: string | null): void {
  if (amount <= 0) return;
  const player = draft.battle.players[spot.seat];
  const target = combatantOf(draft, spot);
  if (spot.unitId === null) {
    player.health -= amount;
  } else {
    const unit = player.board.find((u) => u.card.id === spot.unitId);
    if (unit === undefined) return;
    if (unit.shield) {
      unit.shield = false;
      draft.events.push({ type: "shield_broken", target });
      return;
    }
    unit.health -= amount;
  }
  draft.events.push({ type: "damage_dealt", target, amount, cause, sourceId });
}

/** Restores up to `amount` health to a spot, never above its maximum (the hero's start, the card's health). */
export function heal(draft: Draft, spot: Spot, amount: number): void {
  const player = draft.battle.players[spot.seat];
  let healed = 0;
  if (spot.unitId === null) {
    healed = Math.max(0, Math.min(amount, battleRules.startingHealth - player.health));
    player.health += healed;
  } else {
    const unit = player.board.find((u) => u.card.id === spot.unitId);
    if (unit === undefined) return;
    healed = Math.max(0, Math.min(amount, unit.card.health - unit.health));
    unit.health += healed;
  }
  draft.events.push({ type: "healed", target: combatantOf(draft, spot), amount: healed });
}

/**
 * After every action: dead units go to their owner's discard (active player's first, then board
 * order), then the heroes are checked: both at 0 or less is a draw, one is a win for the other.
 */
export function settle(draft: Draft): void {
  const battle = draft.battle;
  for (const seat of [battle.activeIndex, battle.activeIndex === 0 ? 1 : 0] as const) {
    const player = battle.players[seat];
    for (const unit of player.board.filter((u) => u.health <= 0)) {
      player.discard.push(unit.card);
      draft.events.push({ type: "unit_died", playerId: player.playerId, unitId: unit.card.id, cardKey: unit.card.cardKey });
    }
    player.board = player.board.filter((u) => u.health > 0);
  }
  const [p0, p1] = battle.players;
  if (p0.health <= 0 && p1.health <= 0) endBattle(draft, { winnerId: null, reason: "hero_destroyed" });
  else if (p0.health <= 0) endBattle(draft, { winnerId: p1.playerId, reason: "hero_destroyed" });
  else if (p1.health <= 0) endBattle(draft, { winnerId: p0.playerId, reason: "hero_destroyed" });
}

import type { PlayCardAction } from "./actions.ts";
import { abilityAmount, hasAbility, type CardDef } from "./cards.ts";
import type { Draft } from "./draft.ts";
import { combatantOf, dealDamage, drawCards, heal, type Spot } from "./effects.ts";
import { reject, type Rejection } from "./errors.ts";
import { battleRules } from "./rules.ts";
import { resolveTarget } from "./targets.ts";

/**
 * Plays a card from the hand of the player at `seat` (whose turn it is). Checks, in order: the
 * card is in the hand, its cost is within mana, then for a unit no target and room on the board,
 * for a spell a valid target. Edits the draft and returns null, or returns the refusal.
 */
export function playCard(draft: Draft, seat: 0 | 1, action: PlayCardAction): Rejection | null {
  const player = draft.battle.players[seat];
  const index = player.hand.findIndex((card) => card.id === action.cardId);
  const card = player.hand[index];
  if (card === undefined) return reject("CARD_NOT_IN_HAND");
  if (card.cost > player.mana) return reject("NOT_ENOUGH_MANA", `the card costs ${card.cost}, you have ${player.mana} mana`);
  if (card.kind === "unit") {
    if (action.target !== undefined) return reject("INVALID_TARGET", "a unit is played without a target");
    if (player.board.length >= battleRules.maxBoardSize) return reject("BOARD_FULL");
  }
  const target = card.kind === "spell" ? spellTarget(draft, seat, card, action.target) : null;
  if (target !== null && "ok" in target) return target;

  player.mana -= card.cost;
  player.hand.splice(index, 1);
  draft.events.push({
    type: "card_played",
    playerId: player.playerId,
    card,
    target: target === null ? null : combatantOf(draft, target),
    manaLeft: player.mana,
  });
  if (card.kind === "unit") summon(draft, seat, card);
  else castSpell(draft, seat, card, target);
  return null;
}

/** Where a spell lands: damage needs an enemy hero or any unit; heal takes its caster's side (default its hero). */
function spellTarget(draft: Draft, seat: 0 | 1, card: CardDef, ref: string | undefined): Spot | Rejection | null {
  const damages = hasAbility(card, "damage");
  const heals = hasAbility(card, "heal");
  if (!damages && !heals) return ref === undefined ? null : reject("INVALID_TARGET", "this spell takes no target");
  if (ref === undefined) return damages ? reject("INVALID_TARGET", "this spell needs a target") : { seat, unitId: null };
  const spot = resolveTarget(draft, seat, ref);
  if (spot === null) return reject("INVALID_TARGET", `no target ${ref}`);
  if (damages && spot.seat === seat && spot.unitId === null) return reject("INVALID_TARGET", "a spell cannot damage your own hero");
  if (heals && spot.seat !== seat) return reject("INVALID_TARGET", "heal only your own hero or units");
  return spot;
}

function summon(draft: Draft, seat: 0 | 1, card: CardDef): void {
  draft.battle.players[seat].board.push({
    card,
    health: card.health,
    shield: hasAbility(card, "shield"),
    summonedOnTurn: draft.battle.turn,
    lastAttackTurn: 0,
  });
}

/** A spell goes to the discard at once, then its effects resolve in the order the card lists them. */
function castSpell(draft: Draft, seat: 0 | 1, card: CardDef, target: Spot | null): void {
  draft.battle.players[seat].discard.push(card);
  for (const ability of card.abilities) {
    if (ability.kind === "damage" && target !== null) dealDamage(draft, target, abilityAmount(card, "damage"), "spell", card.id);
    if (ability.kind === "heal" && target !== null) heal(draft, target, abilityAmount(card, "heal"));
    if (ability.kind === "draw") drawCards(draft, seat, abilityAmount(card, "draw"));
  }
}

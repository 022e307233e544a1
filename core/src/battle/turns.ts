import { otherSeat, endBattle, type Draft } from "./draft.ts";
import { drawCards } from "./effects.ts";
import { battleRules } from "./rules.ts";

/**
 * Starts the next turn for the player at `seat`: its mana cap grows by one (to 10) and refills,
 * the timer restarts from `nowMs`, and it draws one card.
 */
export function startTurn(draft: Draft, seat: 0 | 1, nowMs: number): void {
  const battle = draft.battle;
  const player = battle.players[seat];
  battle.activeIndex = seat;
  battle.turn += 1;
  battle.turnStartedAtMs = nowMs;
  battle.turnDeadlineMs = nowMs + battle.turnTimeMs;
  player.maxMana = Math.min(battleRules.maxMana, player.maxMana + 1);
  player.mana = player.maxMana;
  draft.events.push({
    type: "turn_started",
    playerId: player.playerId,
    turn: battle.turn,
    mana: player.mana,
    startedAtMs: nowMs,
    deadlineMs: battle.turnDeadlineMs,
  });
  drawCards(draft, seat, 1);
}

/** Ends the active player's turn; the turn cap ends the battle in a draw, otherwise the other player starts. */
export function endTurn(draft: Draft, nowMs: number, reason: "end_turn" | "timeout"): void {
  const battle = draft.battle;
  const seat = battle.activeIndex;
  draft.events.push({ type: "turn_ended", playerId: battle.players[seat].playerId, turn: battle.turn, reason });
  if (battle.turn >= battleRules.turnCap) endBattle(draft, { winnerId: null, reason: "turn_cap" });
  else startTurn(draft, otherSeat(seat), nowMs);
}

/**
 * The timer ended the active player's turn. The third timeout in a row loses the battle ("idle"):
 * an absent player should not hold the other for thirty timed turns.
 */
export function timeOutTurn(draft: Draft, nowMs: number): void {
  const battle = draft.battle;
  const player = battle.players[battle.activeIndex];
  player.timeouts += 1;
  if (player.timeouts < battleRules.maxConsecutiveTimeouts) return endTurn(draft, nowMs, "timeout");
  draft.events.push({ type: "turn_ended", playerId: player.playerId, turn: battle.turn, reason: "timeout" });
  endBattle(draft, { winnerId: battle.players[otherSeat(battle.activeIndex)].playerId, reason: "idle" });
}

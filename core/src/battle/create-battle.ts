import type { CardDef } from "./cards.ts";
import { validateDeck } from "./deck.ts";
import type { Draft, DraftPlayer } from "./draft.ts";
import { drawCards } from "./effects.ts";
import { reject, type Rejection } from "./errors.ts";
import type { BattleEvent } from "./events.ts";
import { createRng, rngStateFromSeed } from "./random.ts";
import { battleRules } from "./rules.ts";
import type { BattleState } from "./state.ts";
import { startTurn } from "./turns.ts";

export type BattleSeat = { playerId: string; deck: readonly CardDef[] };

export type CreateBattleParams = {
  battleId: string;
  /**
   * Decides deck order and who goes first: anyone who knows it (and the decks) knows every draw,
   * so the server draws at least 128 random bits per battle and keeps it secret until the end.
   */
  seed: string;
  players: readonly [BattleSeat, BattleSeat];
  /** Game time of the start, from the injected clock. */
  startedAtMs: number;
  turnTimeMs: number;
};

export type CreateBattleResult = { ok: true; state: BattleState; events: BattleEvent[] } | Rejection;

/**
 * A new battle, already in its first turn: both decks shuffled from the seed, the first player
 * chosen by the seed, opening hands of 3 (first) and 4 (second), then the first player's turn 1
 * (1 mana, one draw). The second player's extra card makes up for moving second.
 *
 * @example
 * const created = createBattle({ battleId, seed, players: [{ playerId: "alice", deck }, { playerId: "bob", deck: deck2 }], startedAtMs: now, turnTimeMs: 75_000 });
 * if (created.ok) store(created.state);
 */
export function createBattle(params: CreateBattleParams): CreateBattleResult {
  const problem = paramsProblem(params);
  if (problem !== null) return problem;
  const rng = createRng(rngStateFromSeed(params.seed));
  const first = rng.nextInt(2) === 0 ? 0 : 1;
  const [seat0, seat1] = params.players;
  const players: [DraftPlayer, DraftPlayer] = [newPlayer(seat0.playerId, rng.shuffle(seat0.deck)), newPlayer(seat1.playerId, rng.shuffle(seat1.deck))];
  const draft: Draft = {
    battle: {
      rulesVersion: battleRules.rulesVersion,
      battleId: params.battleId,
      players,
      activeIndex: first,
      turn: 0,
      turnTimeMs: params.turnTimeMs,
      turnStartedAtMs: params.startedAtMs,
      turnDeadlineMs: params.startedAtMs,
      updatedAtMs: params.startedAtMs,
      seq: 0,
      result: null,
      rng: rng.state(),
    },
    events: [],
  };
  draft.events.push({
    type: "battle_started",
    battleId: params.battleId,
    playerIds: [seat0.playerId, seat1.playerId],
    firstPlayerId: players[first].playerId,
    startedAtMs: params.startedAtMs,
    turnTimeMs: params.turnTimeMs,
    rulesVersion: battleRules.rulesVersion,
  });
  drawCards(draft, first, battleRules.openingHandFirst);
  drawCards(draft, first === 0 ? 1 : 0, battleRules.openingHandSecond);
  startTurn(draft, first, params.startedAtMs);
  return { ok: true, state: draft.battle, events: draft.events };
}

function newPlayer(playerId: string, deck: CardDef[]): DraftPlayer {
  return { playerId, health: battleRules.startingHealth, mana: 0, maxMana: 0, deck, hand: [], board: [], discard: [], burned: [], fatigue: 0, timeouts: 0 };
}

function paramsProblem(params: CreateBattleParams): Rejection | null {
  const r = battleRules;
  if (typeof params.battleId !== "string" || params.battleId.length === 0) return reject("INVALID_BATTLE", "battleId is required");
  if (typeof params.seed !== "string" || params.seed.length === 0) return reject("INVALID_BATTLE", "seed is required");
  if (!Number.isFinite(params.startedAtMs)) return reject("INVALID_BATTLE", "startedAtMs must be a finite time");
  if (!Number.isInteger(params.turnTimeMs) || params.turnTimeMs < r.minTurnTimeMs || params.turnTimeMs > r.maxTurnTimeMs) {
    return reject("INVALID_BATTLE", `turnTimeMs must be an integer in [${r.minTurnTimeMs}, ${r.maxTurnTimeMs}]`);
  }
  const [a, b] = params.players;
  if (typeof a.playerId !== "string" || typeof b.playerId !== "string" || a.playerId === "" || a.playerId === b.playerId) {
    return reject("INVALID_BATTLE", "two different players are required");
  }
  for (const seat of params.players) {
    const checked = validateDeck(seat.deck);
    if (!checked.ok) return reject("INVALID_DECK", `${seat.playerId}: ${checked.message}`);
  }
  // Card ids become unit ids and targets: they must name one card in the whole battle.
  const ids = new Set(a.deck.map((card) => card.id));
  const shared = b.deck.find((card) => ids.has(card.id));
  if (shared !== undefined) return reject("INVALID_BATTLE", `card id ${shared.id} is in both decks`);
  return null;
}

import { matchReward } from "@harvest/core/battle/match-rewards";
import type { BattleResult } from "@harvest/core/battle/state";
import type { Seed } from "@harvest/core/farming/planting";
import { rateMatch, type Rating } from "@harvest/core/rating/rate-match";
import type { DomainEvent } from "../outbox.ts";

export type MatchSettlement = {
  /** Per player: the rating before and after (ranked only), and what was paid into their farm. */
  players: Record<string, { outcome: "win" | "draw" | "loss"; rating: { before: Rating; after: Rating } | null; reward: { resources: { kind: string; quality: number; quantity: number }[]; seeds: number } }>;
};

/** The season a match counts for: the calendar month (UTC) of its end, e.g. "2026-11". */
export function seasonOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** Whether a match of `mode` moves ratings and the leaderboard: ranked play only; casual and private matches just pay rewards. */
export function isRated(mode: string): boolean {
  return mode === "ranked";
}

/** A match between two players that has just ended: what its settlement follows from. `endedAt` decides its season. */
export type EndedMatch = { battleId: string; mode: string; players: readonly [string, string]; result: BattleResult; seed: string; endedAt: Date };

/**
 * Everything the end of a match writes besides the battle's own end, worked out before any write, so
 * that one statement can write it all (endBattle) and the arithmetic can be tested without a database.
 */
export type SettlementPlan = {
  match: EndedMatch;
  /** What each player sees in their battle.ended, kept with the battle. */
  settlement: MatchSettlement;
  season: string;
  /** Ranked only (else empty): each player's rating after the match, and the outcome their leaderboard row counts. */
  ratings: { playerId: string; after: Rating; outcome: "win" | "draw" | "loss" }[];
  /** What is added to each farm's stock, one row per stack (a player may get two of a kind). */
  resources: { playerId: string; kind: string; quality: number; quantity: number }[];
  seeds: { playerId: string; seed: Seed }[];
  /** `farm.match_reward` per player, in seat order, then `battle.settled`: the order they enter the outbox. */
  events: DomainEvent[];
};

/**
 * The settlement of `match`, from both players' ratings before it (`before`, in seat order) when it
 * is rated, null otherwise. Pure: ratings move by Glicko-2 (rateMatch), rewards are matchReward's,
 * seeds rolled from the battle's seed, so the same inputs always plan the same writes. Each reward
 * is also a `farm.match_reward` event carrying its delta, which keeps the farm ledger reconcilable.
 *
 * @throws RangeError when `before` is given for an unrated match or missing for a rated one.
 */
export function planSettlement(match: EndedMatch, before: readonly [Rating, Rating] | null): SettlementPlan {
  if (isRated(match.mode) !== (before !== null)) throw new RangeError(`a ${match.mode} match is settled ${isRated(match.mode) ? "with" : "without"} ratings`);
  const { result } = match;
  const rated = before === null ? null : rateMatch({ a: before[0], b: before[1], result: result.winnerId === null ? "draw" : result.winnerId === match.players[0] ? "a" : "b" });
  const plan: SettlementPlan = { match, settlement: { players: {} }, season: seasonOf(match.endedAt), ratings: [], resources: [], seeds: [], events: [] };
  match.players.forEach((playerId, seat) => {
    const reward = matchReward(result, playerId, match.seed);
    let rating: { before: Rating; after: Rating } | null = null;
    if (before !== null && rated !== null) {
      rating = { before: before[seat]!, after: seat === 0 ? rated.a : rated.b };
      plan.ratings.push({ playerId, after: rating.after, outcome: reward.outcome });
    }
    for (const stack of reward.resources) plan.resources.push({ playerId, ...stack });
    for (const seed of reward.seeds) plan.seeds.push({ playerId, seed });
    plan.events.push({
      aggregateType: "farm",
      aggregateId: playerId,
      type: "farm.match_reward",
      payload: { battleId: match.battleId, outcome: reward.outcome, resources: reward.resources, seeds: reward.seeds, delta: { resources: reward.resources, seeds: reward.seeds.length } },
    });
    plan.settlement.players[playerId] = { outcome: reward.outcome, rating, reward: { resources: reward.resources, seeds: reward.seeds.length } };
  });
  plan.events.push({ aggregateType: "battle", aggregateId: match.battleId, type: "battle.settled", payload: { battleId: match.battleId, mode: match.mode, result, players: plan.settlement.players } });
  return plan;
}

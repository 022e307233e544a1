import type { ClientBase } from "pg";
import { matchReward } from "@harvest/core/battle/match-rewards";
import type { BattleResult } from "@harvest/core/battle/state";
import { rateMatch, type Rating } from "@harvest/core/rating/rate-match";
import { appendEvents, type DomainEvent } from "../outbox.ts";
import { addResources, addSeeds } from "../farm/inventory-store.ts";
import { ratingOf, releaseSlots } from "./player-slots.ts";

export type MatchSettlement = {
  /** Per player: the rating before and after (ranked only), and what was paid into their farm. */
  players: Record<string, { outcome: "win" | "draw" | "loss"; rating: { before: Rating; after: Rating } | null; reward: { resources: { kind: string; quality: number; quantity: number }[]; seeds: number } }>;
};

/** The season a match counts for: the calendar month (UTC) of its end, e.g. "2026-11". */
export function seasonOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/**
 * Everything a finished match between two players changes, on the caller's transaction (the one that
 * stores the battle's last action): their slots are freed; in ranked play both ratings move
 * (Glicko-2, the rows locked in player-id order so that two settlements never deadlock) and the
 * season's leaderboard rows follow; both farms are paid their reward, each payout a farm event with
 * its delta, so the farm ledger still reconciles.
 */
export async function settleMatch(
  client: ClientBase,
  match: { battleId: string; mode: string; players: readonly [string, string]; result: BattleResult; seed: string; endedAt: Date },
): Promise<MatchSettlement> {
  await releaseSlots(client, match.battleId);
  const [a, b] = match.players;
  const settlement: MatchSettlement = { players: {} };
  let ratings: { a: Rating; b: Rating; beforeA: Rating; beforeB: Rating } | null = null;
  if (match.mode === "ranked") {
    await client.query(`SELECT 1 FROM game.players WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE`, [[a, b]]);
    const beforeA = await ratingOf(client, a);
    const beforeB = await ratingOf(client, b);
    const outcome = match.result.winnerId === null ? "draw" : match.result.winnerId === a ? "a" : "b";
    const after = rateMatch({ a: beforeA, b: beforeB, result: outcome });
    ratings = { ...after, beforeA, beforeB };
    const season = seasonOf(match.endedAt);
    for (const [playerId, rating] of [
      [a, after.a],
      [b, after.b],
    ] as const) {
      await client.query(
        `INSERT INTO game.ratings (player_id, rating, rd, vol, games) VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT (player_id) DO UPDATE SET rating = $2, rd = $3, vol = $4, games = game.ratings.games + 1, updated_at = now()`,
        [playerId, rating.rating, rating.rd, rating.vol],
      );
      const won = match.result.winnerId === playerId ? 1 : 0;
      const drew = match.result.winnerId === null ? 1 : 0;
      await client.query(
        `INSERT INTO game.leaderboard (season, player_id, rating, wins, losses, draws) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (season, player_id) DO UPDATE SET rating = $3, wins = game.leaderboard.wins + $4, losses = game.leaderboard.losses + $5,
           draws = game.leaderboard.draws + $6, updated_at = now()`,
        [season, playerId, rating.rating, won, 1 - won - drew, drew],
      );
    }
  }

  const events: DomainEvent[] = [];
  for (const playerId of match.players) {
    const reward = matchReward(match.result, playerId, match.seed);
    await addResources(client, playerId, reward.resources);
    await addSeeds(client, playerId, reward.seeds);
    events.push({
      aggregateType: "farm",
      aggregateId: playerId,
      type: "farm.match_reward",
      payload: { battleId: match.battleId, outcome: reward.outcome, resources: reward.resources, seeds: reward.seeds, delta: { resources: reward.resources, seeds: reward.seeds.length } },
    });
    const rating = ratings === null ? null : playerId === a ? { before: ratings.beforeA, after: ratings.a } : { before: ratings.beforeB, after: ratings.b };
    settlement.players[playerId] = { outcome: reward.outcome, rating, reward: { resources: reward.resources, seeds: reward.seeds.length } };
  }
  events.push({ aggregateType: "battle", aggregateId: match.battleId, type: "battle.settled", payload: { battleId: match.battleId, mode: match.mode, result: match.result, players: settlement.players } });
  await appendEvents(client, events);
  await client.query(`UPDATE game.battles SET settlement = $2 WHERE id = $1`, [match.battleId, JSON.stringify(settlement.players)]);
  return settlement;
}

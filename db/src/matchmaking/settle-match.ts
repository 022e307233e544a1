import type { ClientBase } from "pg";
import { matchReward } from "@harvest/core/battle/match-rewards";
import type { BattleResult } from "@harvest/core/battle/state";
import { newRating, rateMatch, type Rating } from "@harvest/core/rating/rate-match";
import type { DomainEvent } from "../outbox.ts";

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
 * its delta, so the farm ledger still reconciles; the settlement is kept with the battle.
 *
 * Three round trips at most, whatever it touches: in ranked play one statement locks both players and
 * one reads their ratings; then ONE statement writes everything (data-modifying CTEs, each table once).
 */
export async function settleMatch(
  client: ClientBase,
  match: { battleId: string; mode: string; players: readonly [string, string]; result: BattleResult; seed: string; endedAt: Date },
): Promise<MatchSettlement> {
  const [a, b] = match.players;
  const settlement: MatchSettlement = { players: {} };
  const rated: { playerId: string; before: Rating; after: Rating }[] = [];
  if (match.mode === "ranked") {
    // NO KEY UPDATE: serialises settlements of a player without blocking the foreign-key checks of
    // their harvests and crafts (a plain FOR UPDATE would, and could deadlock with them). The ratings
    // are read after the lock is held, so a settlement that waited reads the one before it.
    await client.query({ name: "settle-lock-players", text: `SELECT 1 FROM game.players WHERE id = ANY ($1::bigint[]) ORDER BY id FOR NO KEY UPDATE`, values: [[a, b]] });
    const { rows } = await client.query<{ id: string; rating: number | null; rd: number | null; vol: number | null }>({
      name: "settle-read-ratings",
      text: `SELECT player_id AS id, rating, rd, vol FROM game.ratings WHERE player_id = ANY ($1::bigint[])`,
      values: [[a, b]],
    });
    const before = (playerId: string): Rating => {
      const row = rows.find((r) => r.id === playerId);
      return row?.rating == null ? newRating() : { rating: row.rating, rd: row.rd!, vol: row.vol! };
    };
    const [beforeA, beforeB] = [before(a), before(b)];
    const after = rateMatch({ a: beforeA, b: beforeB, result: match.result.winnerId === null ? "draw" : match.result.winnerId === a ? "a" : "b" });
    rated.push({ playerId: a, before: beforeA, after: after.a }, { playerId: b, before: beforeB, after: after.b });
  }

  const events: DomainEvent[] = [];
  const resources: { playerId: string; kind: string; quality: number; quantity: number }[] = [];
  const seeds: { playerId: string; crop: string; genome: string }[] = [];
  for (const playerId of match.players) {
    const reward = matchReward(match.result, playerId, match.seed);
    for (const stack of reward.resources) resources.push({ playerId, ...stack });
    for (const seed of reward.seeds) seeds.push({ playerId, crop: seed.crop, genome: JSON.stringify(seed.genome) });
    events.push({
      aggregateType: "farm",
      aggregateId: playerId,
      type: "farm.match_reward",
      payload: { battleId: match.battleId, outcome: reward.outcome, resources: reward.resources, seeds: reward.seeds, delta: { resources: reward.resources, seeds: reward.seeds.length } },
    });
    const rating = rated.find((r) => r.playerId === playerId);
    settlement.players[playerId] = { outcome: reward.outcome, rating: rating === undefined ? null : { before: rating.before, after: rating.after }, reward: { resources: reward.resources, seeds: reward.seeds.length } };
  }
  events.push({ aggregateType: "battle", aggregateId: match.battleId, type: "battle.settled", payload: { battleId: match.battleId, mode: match.mode, result: match.result, players: settlement.players } });
  const outcomeOf = (playerId: string) => (match.result.winnerId === null ? "draw" : match.result.winnerId === playerId ? "win" : "loss");

  await client.query({
    name: "settle-write",
    text: `WITH released AS (
             DELETE FROM game.player_slots WHERE battle_id = $1
           ), rated AS (
             INSERT INTO game.ratings (player_id, rating, rd, vol, games)
             SELECT t.player_id, t.rating, t.rd, t.vol, 1 FROM unnest($2::bigint[], $3::float8[], $4::float8[], $5::float8[]) AS t(player_id, rating, rd, vol)
             ON CONFLICT (player_id) DO UPDATE SET rating = EXCLUDED.rating, rd = EXCLUDED.rd, vol = EXCLUDED.vol, games = game.ratings.games + 1, updated_at = now()
           ), ranked AS (
             INSERT INTO game.leaderboard (season, player_id, rating, wins, losses, draws)
             SELECT $6, t.player_id, t.rating, (t.outcome = 'win')::int, (t.outcome = 'loss')::int, (t.outcome = 'draw')::int
               FROM unnest($2::bigint[], $3::float8[], $7::text[]) AS t(player_id, rating, outcome)
             ON CONFLICT (season, player_id) DO UPDATE SET rating = EXCLUDED.rating, wins = game.leaderboard.wins + EXCLUDED.wins,
               losses = game.leaderboard.losses + EXCLUDED.losses, draws = game.leaderboard.draws + EXCLUDED.draws, updated_at = now()
           ), paid AS (
             INSERT INTO game.resources (player_id, kind, quality, quantity)
             SELECT t.player_id, t.kind, t.quality, sum(t.quantity) FROM unnest($8::bigint[], $9::text[], $10::int[], $11::int[]) AS t(player_id, kind, quality, quantity)
              GROUP BY t.player_id, t.kind, t.quality ORDER BY t.player_id, t.kind, t.quality
             ON CONFLICT (player_id, kind, quality) DO UPDATE SET quantity = game.resources.quantity + EXCLUDED.quantity
           ), sown AS (
             INSERT INTO game.seeds (player_id, crop, genome) SELECT t.player_id, t.crop, t.genome FROM unnest($12::bigint[], $13::text[], $14::jsonb[]) AS t(player_id, crop, genome)
           ), events AS (
             INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
             SELECT e.aggregate_type, e.aggregate_id, e.type, e.payload
               FROM unnest($15::text[], $16::text[], $17::text[], $18::jsonb[]) WITH ORDINALITY AS e(aggregate_type, aggregate_id, type, payload, n)
              ORDER BY e.n
           )
           UPDATE game.battles SET settlement = $19 WHERE id = $1`,
    values: [
      match.battleId,
      rated.map((r) => r.playerId),
      rated.map((r) => r.after.rating),
      rated.map((r) => r.after.rd),
      rated.map((r) => r.after.vol),
      seasonOf(match.endedAt),
      rated.map((r) => outcomeOf(r.playerId)),
      resources.map((r) => r.playerId),
      resources.map((r) => r.kind),
      resources.map((r) => r.quality),
      resources.map((r) => r.quantity),
      seeds.map((s) => s.playerId),
      seeds.map((s) => s.crop),
      seeds.map((s) => s.genome),
      events.map((e) => e.aggregateType),
      events.map((e) => e.aggregateId),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.payload ?? null)),
      JSON.stringify(settlement.players),
    ],
  });
  return settlement;
}

import type { ClientBase, Pool } from "pg";
import { newRating, type Rating } from "@harvest/core/rating/rate-match";
import { BATTLE_MOVED_CHANNEL, finalActionEvents, type ActionToAppend } from "../battles/battle-store.ts";
import type { SettlementPlan } from "./settle-match.ts";

/**
 * Both players' ratings as they stand, in the order given (the initial rating for a player who has
 * never played ranked), to plan a ranked match's settlement from (planSettlement).
 *
 * One read, with no lock and no transaction: the write that follows (endMatch) cannot lose an update
 * of these rows. Only the settlement of a ranked match writes game.ratings, and a player is in at
 * most one match at a time (game.player_slots' primary key: one slot, queued or matched; practice
 * battles take none and are not rated). Their slot is released by the same statement that writes
 * their new rating, so no two settlements of one player overlap, and this read sees the last one
 * committed.
 */
export async function readRatings(pool: Pool | ClientBase, players: readonly [string, string]): Promise<[Rating, Rating]> {
  const { rows } = await pool.query<{ id: string; rating: number; rd: number; vol: number }>({
    name: "end-match-read-ratings",
    text: `SELECT player_id::text AS id, rating, rd, vol FROM game.ratings WHERE player_id = ANY ($1::bigint[])`,
    values: [[...players]],
  });
  const of = (playerId: string): Rating => {
    const row = rows.find((r) => r.id === playerId);
    return row === undefined ? newRating() : { rating: row.rating, rd: row.rd, vol: row.vol };
  };
  return [of(players[0]), of(players[1])];
}

/**
 * Ends a match between two players in ONE statement (one round trip; on a pool, its own implicit
 * transaction, with no lock held across round trips): stores its final action `action`; ends the
 * battle with its result, final state hash and settlement (one update of game.battles); releases both
 * players' slots; in ranked play writes their new ratings and the season's leaderboard rows; pays both
 * farms (resources added to, seeds inserted); adds the outbox events `battle.action_applied`,
 * `battle.ended`, `farm.match_reward` per player and `battle.settled`, in that order; and tells the
 * other game-server processes (NOTIFY, delivered at commit).
 *
 * Every write is conditioned on the action being stored, so it returns false and writes nothing when
 * that seq or (player, clientSeq) is already stored or the battle is not active. A second process
 * ending the same battle at the same time waits on the first's entry in the action's unique index,
 * then conflicts: it pays no reward and moves no rating a second time. The ratings it writes were read
 * before without a lock (see readRatings for why no other settlement of these players can come in
 * between); rewards need no lock either, as they are added to the stock row in place.
 *
 * @param finalHash hashState of the battle's final state.
 * @param plan the settlement planned for this battle (planSettlement), from ratings read with readRatings.
 * @param origin this process's name in the NOTIFY, so that it skips its own notice.
 */
export async function endMatch(pool: Pool | ClientBase, action: ActionToAppend, finalHash: string, plan: SettlementPlan, origin: string): Promise<boolean> {
  const { match } = plan;
  if (action.battleId !== match.battleId) throw new RangeError(`the final action of battle ${action.battleId} cannot end battle ${match.battleId}`);
  if (origin.includes("|")) throw new RangeError("an origin may not contain '|'");
  const events = [...finalActionEvents(action, { mode: match.mode, players: match.players, result: match.result, finalHash }), ...plan.events];
  const { rows } = await pool.query<{ stored: boolean }>({
    name: "end-match",
    text: `WITH stored AS (
             INSERT INTO game.battle_actions (battle_id, seq, player_id, client_seq, action, now_ms)
             SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM game.battles WHERE id = $1 AND status = 'active')
             ON CONFLICT DO NOTHING RETURNING battle_id
           ), ended AS (
             UPDATE game.battles SET status = 'ended', result = $7, final_hash = $8, ended_at = now(), settlement = $9
              WHERE id = $1 AND status = 'active' AND EXISTS (SELECT 1 FROM stored)
           ), told AS (
             SELECT pg_notify('${BATTLE_MOVED_CHANNEL}', $10::text || '|' || $1::text || ':' || $2::text) FROM stored
           ), released AS (
             DELETE FROM game.player_slots WHERE battle_id = $1 AND EXISTS (SELECT 1 FROM stored)
           ), rated AS (
             INSERT INTO game.ratings (player_id, rating, rd, vol, games)
             SELECT t.player_id, t.rating, t.rd, t.vol, 1 FROM unnest($11::bigint[], $12::float8[], $13::float8[], $14::float8[]) AS t(player_id, rating, rd, vol)
              WHERE EXISTS (SELECT 1 FROM stored)
             ON CONFLICT (player_id) DO UPDATE SET rating = EXCLUDED.rating, rd = EXCLUDED.rd, vol = EXCLUDED.vol, games = game.ratings.games + 1, updated_at = now()
           ), ranked AS (
             INSERT INTO game.leaderboard (season, player_id, rating, wins, losses, draws)
             SELECT $15, t.player_id, t.rating, (t.outcome = 'win')::int, (t.outcome = 'loss')::int, (t.outcome = 'draw')::int
               FROM unnest($11::bigint[], $12::float8[], $16::text[]) AS t(player_id, rating, outcome)
              WHERE EXISTS (SELECT 1 FROM stored)
             ON CONFLICT (season, player_id) DO UPDATE SET rating = EXCLUDED.rating, wins = game.leaderboard.wins + EXCLUDED.wins,
               losses = game.leaderboard.losses + EXCLUDED.losses, draws = game.leaderboard.draws + EXCLUDED.draws, updated_at = now()
           ), paid AS (
             INSERT INTO game.resources (player_id, kind, quality, quantity)
             SELECT t.player_id, t.kind, t.quality, sum(t.quantity) FROM unnest($17::bigint[], $18::text[], $19::int[], $20::int[]) AS t(player_id, kind, quality, quantity)
              WHERE EXISTS (SELECT 1 FROM stored)
              GROUP BY t.player_id, t.kind, t.quality ORDER BY t.player_id, t.kind, t.quality
             ON CONFLICT (player_id, kind, quality) DO UPDATE SET quantity = game.resources.quantity + EXCLUDED.quantity
           ), sown AS (
             INSERT INTO game.seeds (player_id, crop, genome)
             SELECT t.player_id, t.crop, t.genome FROM unnest($21::bigint[], $22::text[], $23::jsonb[]) AS t(player_id, crop, genome)
              WHERE EXISTS (SELECT 1 FROM stored)
           ), events AS (
             INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
             SELECT e.aggregate_type, e.aggregate_id, e.type, e.payload
               FROM unnest($24::text[], $25::text[], $26::text[], $27::jsonb[]) WITH ORDINALITY AS e(aggregate_type, aggregate_id, type, payload, n)
              WHERE EXISTS (SELECT 1 FROM stored)
              ORDER BY e.n
           )
           SELECT EXISTS (SELECT 1 FROM stored LEFT JOIN told ON true) AS stored`,
    values: [
      action.battleId,
      action.seq,
      action.playerId,
      action.clientSeq,
      JSON.stringify(action.action),
      action.nowMs,
      JSON.stringify(match.result),
      finalHash,
      JSON.stringify(plan.settlement.players),
      origin,
      plan.ratings.map((r) => r.playerId),
      plan.ratings.map((r) => r.after.rating),
      plan.ratings.map((r) => r.after.rd),
      plan.ratings.map((r) => r.after.vol),
      plan.season,
      plan.ratings.map((r) => r.outcome),
      plan.resources.map((r) => r.playerId),
      plan.resources.map((r) => r.kind),
      plan.resources.map((r) => r.quality),
      plan.resources.map((r) => r.quantity),
      plan.seeds.map((s) => s.playerId),
      plan.seeds.map((s) => s.seed.crop),
      plan.seeds.map((s) => JSON.stringify(s.seed.genome)),
      events.map((e) => e.aggregateType),
      events.map((e) => e.aggregateId),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.payload ?? null)),
    ],
  });
  return rows[0]!.stored;
}

import type { ClientBase, Pool } from "pg";
import { newRating, type Rating } from "@harvest/core/rating/rate-match";
import { BATTLE_MOVED_CHANNEL, type ActionToAppend, type BattleEnd } from "../battles/battle-store.ts";
import type { DomainEvent } from "../outbox.ts";
import type { SettlementPlan } from "./settle-match.ts";

/**
 * Both players' ratings as they stand, in the order given (the initial rating for a player who has
 * never played ranked), to plan a ranked match's settlement from (planSettlement).
 *
 * One read, with no lock and no transaction: the write that follows (endBattle) cannot lose an update
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
 * Ends a battle in ONE statement (one round trip; on a pool, its own implicit transaction, with no
 * lock held across round trips): stores its final action `action`; ends the battle with its result,
 * final state hash and, for a match, its settlement (one update of game.battles); adds the outbox
 * events `battle.action_applied` and `battle.ended`; and tells the other game-server processes
 * (NOTIFY, delivered at commit). A match between two players (`plan` not null) is settled by the same
 * statement: both slots released; in ranked play their new ratings and the season's leaderboard rows;
 * both farms paid (resources added to, seeds inserted); then `farm.match_reward` per player and
 * `battle.settled`, in that order. A practice battle passes no plan.
 *
 * Every write is conditioned on the action being stored, so it returns false and writes nothing when
 * that seq or (player, clientSeq) is already stored or the battle is not active. A second process
 * ending the same battle at the same time waits on the first's entry in the action's unique index,
 * then conflicts: it pays no reward and moves no rating a second time. The ratings it writes were
 * planned from ratings read earlier without a lock: when the match was made (lockQueuedSlots'
 * `ratingNow`) or, for a battle rebuilt from the database, with readRatings (see there for why no
 * other settlement of these players can come in between); rewards need no lock either, as they are
 * added to the stock row in place.
 *
 * @param end how the battle ended: its mode, players, result and the hashState of its final state.
 * @param plan a match's settlement (planSettlement, from the ratings read when the match was made, or with readRatings); null for a practice battle.
 * @param origin this process's name in the NOTIFY, so that it skips its own notice.
 */
export async function endBattle(pool: Pool | ClientBase, action: ActionToAppend, end: BattleEnd, plan: SettlementPlan | null, origin: string): Promise<boolean> {
  if (plan !== null && action.battleId !== plan.match.battleId) throw new RangeError(`the final action of battle ${action.battleId} cannot end battle ${plan.match.battleId}`);
  if (origin.includes("|")) throw new RangeError("an origin may not contain '|'");
  const { battleId, seq } = action;
  const events: DomainEvent[] = [
    { aggregateType: "battle", aggregateId: battleId, type: "battle.action_applied", payload: { battleId, seq, action: action.action, nowMs: action.nowMs } },
    { aggregateType: "battle", aggregateId: battleId, type: "battle.ended", payload: { battleId, mode: end.mode, players: end.players, result: end.result, finalHash: end.finalHash, actions: seq + 1 } },
    ...(plan?.events ?? []),
  ];
  const ratings = plan?.ratings ?? [];
  const resources = plan?.resources ?? [];
  const seeds = plan?.seeds ?? [];
  const { rows } = await pool.query<{ stored: boolean }>({
    name: "end-battle",
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
      JSON.stringify(end.result),
      end.finalHash,
      plan === null ? null : JSON.stringify(plan.settlement.players),
      origin,
      ratings.map((r) => r.playerId),
      ratings.map((r) => r.after.rating),
      ratings.map((r) => r.after.rd),
      ratings.map((r) => r.after.vol),
      plan?.season ?? null,
      ratings.map((r) => r.outcome),
      resources.map((r) => r.playerId),
      resources.map((r) => r.kind),
      resources.map((r) => r.quality),
      resources.map((r) => r.quantity),
      seeds.map((s) => s.playerId),
      seeds.map((s) => s.seed.crop),
      seeds.map((s) => JSON.stringify(s.seed.genome)),
      events.map((e) => e.aggregateType),
      events.map((e) => e.aggregateId),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.payload ?? null)),
    ],
  });
  return rows[0]!.stored;
}

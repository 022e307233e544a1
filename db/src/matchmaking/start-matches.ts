import type { ClientBase } from "pg";
import type { CreateBattleParams } from "@harvest/core/battle/create-battle";

/** A match to store: its battle (params pinned for the whole match), its two players, and the notice to send about it. */
export type MatchToStart = {
  battleId: string;
  mode: string;
  params: CreateBattleParams;
  players: readonly [string, string];
  /**
   * The players whose queued slots become matched on it (default both). An invite names only its
   * host: the accepting player's slot is written afterwards (enterMatched), and any slot they hold
   * already must not be touched, nor even locked.
   */
  queued?: readonly string[];
  /** The NOTIFY payload on `channel` that tells every game-server process of the match. */
  notice: string;
};

/**
 * Starts matches in ONE statement on the caller's transaction, however many: each battle, its
 * `battle.started` outbox event, both players' slots marked matched on it, and its notice (delivered
 * at commit). A matchmaking tick that pairs hundreds of players pays one round trip, not five per
 * match. Only queued slots of the players in `queued` change.
 */
export async function startMatches(client: ClientBase, matches: readonly MatchToStart[], channel: string): Promise<void> {
  if (matches.length === 0) return;
  if (new Set(matches.map((match) => match.battleId)).size !== matches.length) throw new RangeError("a battle twice in one statement");
  await client.query({
    name: "matches-start",
    text: `WITH input AS (
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::text[], $8::text[], $9::text[]) AS t(id, mode, params, a, b, notice, a_slot, b_slot)
           ), battles AS (
             INSERT INTO game.battles (id, mode, params, players) SELECT id, mode, params, ARRAY[a, b] FROM input
           ), events AS (
             INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
             SELECT 'battle', id::text, 'battle.started', jsonb_build_object('battleId', id::text, 'mode', mode, 'players', jsonb_build_array(a, b)) FROM input
           ), slots AS (
             UPDATE game.player_slots s SET state = 'matched', battle_id = m.id, invite_code = NULL
               FROM (SELECT id, a_slot AS player_id FROM input WHERE a_slot IS NOT NULL UNION ALL SELECT id, b_slot FROM input WHERE b_slot IS NOT NULL) m
              WHERE s.player_id = m.player_id::bigint AND s.state = 'queued'
           )
           SELECT pg_notify($7, notice) FROM input`,
    values: [
      matches.map((match) => match.battleId),
      matches.map((match) => match.mode),
      matches.map((match) => JSON.stringify(match.params)),
      matches.map((match) => match.players[0]),
      matches.map((match) => match.players[1]),
      matches.map((match) => match.notice),
      channel,
      matches.map((match) => ((match.queued ?? match.players).includes(match.players[0]) ? match.players[0] : null)),
      matches.map((match) => ((match.queued ?? match.players).includes(match.players[1]) ? match.players[1] : null)),
    ],
  });
}

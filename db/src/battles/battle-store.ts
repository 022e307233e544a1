import type { ClientBase, Pool } from "pg";
import type { BattleAction } from "@harvest/core/battle/actions";
import type { CreateBattleParams } from "@harvest/core/battle/create-battle";
import type { LoggedAction } from "@harvest/core/battle/replay";
import type { BattleResult } from "@harvest/core/battle/state";

export type BattleStatus = "active" | "ended";

/** A stored battle: what replayBattle needs (params with the seed, accepted actions in order) and its bookkeeping. */
export type StoredBattle = {
  id: string;
  mode: string;
  params: CreateBattleParams;
  players: string[];
  status: BattleStatus;
  result: BattleResult | null;
  /** hashState of the final state, once ended. */
  finalHash: string | null;
  createdAt: Date;
  endedAt: Date | null;
  actions: StoredAction[];
};

/** One accepted action: `seq` is its place in the log (0, 1, ...), `playerId`/`clientSeq` are set for a player's socket message. */
export type StoredAction = LoggedAction & { seq: number; playerId: string | null; clientSeq: number | null };

/** Inserts a new, active battle. `params.battleId` is its id (a uuid). */
export async function createBattle(client: ClientBase, battle: { mode: string; params: CreateBattleParams; players: readonly string[] }): Promise<void> {
  await client.query(`INSERT INTO game.battles (id, mode, params, players) VALUES ($1, $2, $3, $4)`, [
    battle.params.battleId,
    battle.mode,
    JSON.stringify(battle.params),
    [...battle.players],
  ]);
}

/**
 * The NOTIFY channel that tells every game-server process battles moved on. Payload:
 * `<origin>|<battleId>:<seq>,<battleId>:<seq>…` (the process that stored them, then each battle's
 * newest stored seq); see parseBattleMoved.
 */
export const BATTLE_MOVED_CHANNEL = "game_battle";

/** A NOTIFY payload stays under 8,000 bytes: a uuid, a seq and a comma are at most ~48, so this many per notice. */
export const MAX_ACTIONS_PER_NOTICE = 100;

/** The payload of a BATTLE_MOVED_CHANNEL notice, or null when it is not one. */
export function parseBattleMoved(payload: string): { origin: string; moves: { battleId: string; seq: number }[] } | null {
  const bar = payload.indexOf("|");
  if (bar < 0) {
    // The format before one notice carried many moves (`<battleId>:<seq>:<origin>`), still sent by a
    // process of the previous release during a rolling update.
    const [battleId, seq, origin, ...rest] = payload.split(":");
    return rest.length === 0 && battleId && origin && /^\d+$/.test(seq ?? "") ? { origin, moves: [{ battleId, seq: Number(seq) }] } : null;
  }
  if (bar === 0) return null;
  const moves: { battleId: string; seq: number }[] = [];
  for (const entry of payload.slice(bar + 1).split(",")) {
    const colon = entry.lastIndexOf(":");
    const seq = entry.slice(colon + 1);
    if (colon <= 0 || !/^\d+$/.test(seq)) return null;
    moves.push({ battleId: entry.slice(0, colon), seq: Number(seq) });
  }
  return { origin: payload.slice(0, bar), moves };
}

/** One accepted action to store: number `seq` of battle `battleId`, with the player and client seq of the socket message that made it, if any. */
export type ActionToAppend = {
  battleId: string;
  seq: number;
  playerId: string | null;
  clientSeq: number | null;
  action: BattleAction;
  nowMs: number;
};

/**
 * Stores accepted actions, each with its `battle.action_applied` outbox event, in ONE statement (so
 * one implicit transaction and one round trip for all of them: the hot path of every battle), and
 * tells the other game-server processes in one NOTIFY, delivered at commit. Answers, per action in
 * order, whether it was stored: false (and nothing stored for it) when its seq or its (player,
 * clientSeq) was already stored, a duplicate or a race lost to another process, or its battle is not
 * an active one (game.battles is looked up rather than referenced: see docs/adr/012). At most
 * MAX_ACTIONS_PER_NOTICE actions, each (battle, seq) once.
 */
export async function appendActionsWithEvents(pool: Pool | ClientBase, actions: readonly ActionToAppend[], origin: string): Promise<boolean[]> {
  if (actions.length === 0) return [];
  if (actions.length > MAX_ACTIONS_PER_NOTICE) throw new RangeError(`at most ${MAX_ACTIONS_PER_NOTICE} actions in one statement`);
  if (origin.includes("|")) throw new RangeError("an origin may not contain '|'");
  if (new Set(actions.map((a) => `${a.battleId}:${a.seq}`)).size !== actions.length) throw new RangeError("an action twice in one statement");
  // Rows go in (battle, seq) order, so two processes' statements that touch the same battles (both
  // running one's turn timer, say) lock them in one order and queue instead of deadlocking.
  // The actions travel as one JSON parameter and the answer is one row, null when every action was
  // stored (nearly always): this statement runs for every batch of every battle's actions, and six
  // array literals to escape and a row per action to parse cost the game server more than Postgres.
  // Each action's battle is looked up by its primary key in a subquery, which Postgres runs per row
  // whatever its statistics say. As a join, the plan followed the statistics of `status`: analyzed
  // when no battle was active (a quiet hour, or a maintenance window), the battles table became the
  // outer side of a nested loop, read whole by every statement (docs/adr/012).
  const { rows } = await pool.query<{ stored: number[] | null }>({
    name: "battle-append-actions",
    text: `WITH input AS (
             SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (battle_id uuid, seq int, player_id text, client_seq bigint, action jsonb, now_ms bigint))
                             WITH ORDINALITY AS t(battle_id, seq, player_id, client_seq, action, now_ms, n)
           ), stored AS (
             INSERT INTO game.battle_actions (battle_id, seq, player_id, client_seq, action, now_ms)
             SELECT i.battle_id, i.seq, i.player_id, i.client_seq, i.action, i.now_ms
               FROM input i
              WHERE (SELECT b.status FROM game.battles b WHERE b.id = i.battle_id) = 'active'
              ORDER BY i.battle_id, i.seq
             ON CONFLICT DO NOTHING RETURNING battle_id, seq, action, now_ms
           ), told AS (
             SELECT pg_notify('${BATTLE_MOVED_CHANNEL}', $2::text || '|' || string_agg(battle_id::text || ':' || seq::text, ',')) FROM stored HAVING count(*) > 0
           ), events AS (
             INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
             SELECT 'battle', battle_id::text, 'battle.action_applied',
                    jsonb_build_object('battleId', battle_id::text, 'seq', seq, 'action', action, 'nowMs', now_ms)
               FROM stored ORDER BY battle_id, seq
           )
           SELECT (SELECT count(*) FROM told) AS told,
                  CASE WHEN (SELECT count(*) FROM stored) = $3 THEN NULL
                       ELSE (SELECT coalesce(array_agg(i.n::int), '{}') FROM input i JOIN stored s ON s.battle_id = i.battle_id AND s.seq = i.seq) END AS stored`,
    values: [
      JSON.stringify(actions.map((a) => ({ battle_id: a.battleId, seq: a.seq, player_id: a.playerId, client_seq: a.clientSeq, action: a.action, now_ms: a.nowMs }))),
      origin,
      actions.length,
    ],
  });
  const stored = rows[0]!.stored;
  if (stored === null) return actions.map(() => true);
  const ordinals = new Set(stored);
  return actions.map((_, i) => ordinals.has(i + 1));
}

/** How a battle ended, as its `battle.ended` event tells it: the result and the hashState of the final state (a replay must reproduce it). */
export type BattleEnd = { mode: string; players: readonly string[]; result: BattleResult; finalHash: string };

type ActionRow = { seq: number; player_id: string | null; client_seq: string | null; action: BattleAction; now_ms: string };

const actionFromRow = (row: ActionRow): StoredAction => ({
  seq: row.seq,
  playerId: row.player_id,
  clientSeq: row.client_seq === null ? null : Number(row.client_seq),
  action: row.action,
  nowMs: Number(row.now_ms),
});

/** The battle with its actions in order, or null when there is none with that id (or the id is not a uuid). */
export async function loadBattle(pool: Pool | ClientBase, id: string): Promise<StoredBattle | null> {
  if (!isUuid(id)) return null;
  const battles = await pool.query<{ id: string; mode: string; params: CreateBattleParams; players: string[]; status: BattleStatus; result: BattleResult | null; final_hash: string | null; created_at: Date; ended_at: Date | null }>(
    `SELECT id, mode, params, players, status, result, final_hash, created_at, ended_at FROM game.battles WHERE id = $1`,
    [id],
  );
  const row = battles.rows[0];
  if (row === undefined) return null;
  const actions = await pool.query<ActionRow>(
    `SELECT seq, player_id, client_seq, action, now_ms FROM game.battle_actions WHERE battle_id = $1 ORDER BY seq`,
    [id],
  );
  return {
    id: row.id,
    mode: row.mode,
    params: row.params,
    players: row.players,
    status: row.status,
    result: row.result,
    finalHash: row.final_hash,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    actions: actions.rows.map(actionFromRow),
  };
}

/** A battle's players and status without its actions (one primary-key read), or null when there is none with that id. */
export async function findBattleHeader(pool: Pool | ClientBase, id: string): Promise<{ players: string[]; status: BattleStatus } | null> {
  if (!isUuid(id)) return null;
  const { rows } = await pool.query<{ players: string[]; status: BattleStatus }>({ name: "battle-header", text: `SELECT players, status FROM game.battles WHERE id = $1`, values: [id] });
  return rows[0] ?? null;
}

/** The battle's actions from `fromSeq` on, in order. */
export async function loadActionsFrom(pool: Pool | ClientBase, battleId: string, fromSeq: number): Promise<StoredAction[]> {
  const { rows } = await pool.query<ActionRow>(`SELECT seq, player_id, client_seq, action, now_ms FROM game.battle_actions WHERE battle_id = $1 AND seq >= $2 ORDER BY seq`, [battleId, fromSeq]);
  return rows.map(actionFromRow);
}

/** What a finished match's settlement paid and rated, per player (null before it settled, or for practice). */
export async function loadSettlement(pool: Pool | ClientBase, battleId: string): Promise<Record<string, unknown> | null> {
  const { rows } = await pool.query<{ settlement: Record<string, unknown> | null }>(`SELECT settlement FROM game.battles WHERE id = $1`, [battleId]);
  return rows[0]?.settlement ?? null;
}

/** The stored action a player sent with socket message `clientSeq` in this battle, or null. */
export async function findActionByClientSeq(pool: Pool | ClientBase, battleId: string, playerId: string, clientSeq: number): Promise<StoredAction | null> {
  const result = await pool.query<ActionRow>(
    `SELECT seq, player_id, client_seq, action, now_ms FROM game.battle_actions WHERE battle_id = $1 AND player_id = $2 AND client_seq = $3`,
    [battleId, playerId, clientSeq],
  );
  const row = result.rows[0];
  return row === undefined ? null : actionFromRow(row);
}

/** How many battles of `mode` the player is in that are still active. */
export async function countActiveBattles(pool: Pool | ClientBase, playerId: string, mode: string): Promise<number> {
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM game.battles WHERE status = 'active' AND mode = $2 AND $1 = ANY (players)`,
    [playerId, mode],
  );
  return result.rows[0]?.n ?? 0;
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

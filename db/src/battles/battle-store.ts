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
 * Stores accepted action number `seq`. Returns false (and changes nothing) when that seq, or the same
 * (player, clientSeq), is already stored: a duplicate or a lost race, which the caller must reload.
 * Uses ON CONFLICT DO NOTHING so an open transaction stays usable.
 */
export async function appendAction(
  client: ClientBase,
  battleId: string,
  seq: number,
  playerId: string | null,
  clientSeq: number | null,
  action: BattleAction,
  nowMs: number,
): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO game.battle_actions (battle_id, seq, player_id, client_seq, action, now_ms)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [battleId, seq, playerId, clientSeq, JSON.stringify(action), nowMs],
  );
  return result.rowCount === 1;
}

/** The NOTIFY channel that tells every game-server process a battle moved on: payload `<battleId>:<seq>:<origin>`. */
export const BATTLE_MOVED_CHANNEL = "game_battle";

/**
 * Stores accepted action number `seq` and its `battle.action_applied` outbox event in ONE statement
 * (so in one implicit transaction, and one round trip: the hot path of every battle), and tells the
 * other game-server processes (NOTIFY, delivered at commit). Returns false, storing nothing, when that
 * seq or (player, clientSeq) is already stored.
 */
export async function appendActionWithEvent(
  pool: Pool | ClientBase,
  battleId: string,
  seq: number,
  playerId: string | null,
  clientSeq: number | null,
  action: BattleAction,
  nowMs: number,
  origin: string,
): Promise<boolean> {
  const result = await pool.query({
    name: "battle-append-action",
    text: `WITH stored AS (
             INSERT INTO game.battle_actions (battle_id, seq, player_id, client_seq, action, now_ms)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING battle_id
           ), told AS (
             SELECT pg_notify('${BATTLE_MOVED_CHANNEL}', $1::text || ':' || $2::text || ':' || $7::text) FROM stored
           )
           INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
           SELECT 'battle', $1::text, 'battle.action_applied', jsonb_build_object('battleId', $1::text, 'seq', $2::int, 'action', $5::jsonb, 'nowMs', $6::bigint) FROM stored, told`,
    values: [battleId, seq, playerId, clientSeq, JSON.stringify(action), nowMs, origin],
  });
  return result.rowCount === 1;
}

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

/** Tells the other game-server processes that `battleId` moved on to `seq` (on the caller's transaction: delivered at commit). */
export async function notifyBattleMoved(client: ClientBase, battleId: string, seq: number, origin: string): Promise<void> {
  await client.query(`SELECT pg_notify($1, $2)`, [BATTLE_MOVED_CHANNEL, `${battleId}:${seq}:${origin}`]);
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

/** Marks an active battle ended with its result (and its final state's hash). Returns false when it was not active (already ended or unknown). */
export async function endBattle(client: ClientBase, battleId: string, result: BattleResult, finalHash: string): Promise<boolean> {
  const updated = await client.query(
    `UPDATE game.battles SET status = 'ended', result = $2, final_hash = $3, ended_at = now() WHERE id = $1 AND status = 'active'`,
    [battleId, JSON.stringify(result), finalHash],
  );
  return updated.rowCount === 1;
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

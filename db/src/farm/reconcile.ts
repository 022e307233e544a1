import type pg from "pg";

/** One difference between what the events say a player holds and what the tables hold. */
export type Drift = { playerId: string; what: string; fromEvents: number; inTables: number };

type Delta = { coins?: number; seeds?: number; cards?: number; resources?: { kind: string; quality: number; quantity: number }[] };

/**
 * Replays every farm event's recorded changes (`payload.delta`) per player and compares the totals with
 * the tables: coins, seeds in inventories, crafted cards and each resource. Also reports cards marked
 * minted that the indexer does not show. An empty list means the ledger reconciles exactly.
 */
export async function reconcileHoldings(pool: pg.Pool, { viewsSchema = "chain" }: { viewsSchema?: string } = {}): Promise<Drift[]> {
  const totals = new Map<string, Map<string, number>>();
  const add = (playerId: string, what: string, amount: number) => {
    const player = totals.get(playerId) ?? new Map<string, number>();
    player.set(what, (player.get(what) ?? 0) + amount);
    totals.set(playerId, player);
  };
  const { rows: events } = await pool.query<{ aggregate_id: string; payload: { delta?: Delta } }>(
    `SELECT aggregate_id, payload FROM game.outbox WHERE aggregate_type = 'farm' ORDER BY id`,
  );
  for (const { aggregate_id: playerId, payload } of events) {
    const delta = payload.delta ?? {};
    add(playerId, "coins", delta.coins ?? 0);
    add(playerId, "seeds", delta.seeds ?? 0);
    add(playerId, "cards", delta.cards ?? 0);
    for (const r of delta.resources ?? []) add(playerId, `resource:${r.kind}:${r.quality}`, r.quantity);
  }
  const tables = new Map<string, Map<string, number>>();
  const set = (playerId: string, what: string, amount: number) => {
    const player = tables.get(playerId) ?? new Map<string, number>();
    player.set(what, amount);
    tables.set(playerId, player);
  };
  for (const row of (await pool.query<{ player_id: string; coins: string }>(`SELECT player_id, coins FROM game.farms`)).rows) set(row.player_id, "coins", Number(row.coins));
  for (const row of (await pool.query<{ player_id: string; n: number }>(`SELECT player_id, count(*)::int AS n FROM game.seeds GROUP BY player_id`)).rows) set(row.player_id, "seeds", row.n);
  for (const row of (await pool.query<{ crafter_id: string; n: number }>(`SELECT crafter_id, count(*)::int AS n FROM game.cards GROUP BY crafter_id`)).rows) set(row.crafter_id, "cards", row.n);
  for (const row of (await pool.query<{ player_id: string; kind: string; quality: number; quantity: number }>(`SELECT player_id, kind, quality, quantity FROM game.resources`)).rows) {
    set(row.player_id, `resource:${row.kind}:${row.quality}`, row.quantity);
  }

  const drifts: Drift[] = [];
  for (const playerId of new Set([...totals.keys(), ...tables.keys()])) {
    const fromEvents = totals.get(playerId) ?? new Map();
    const inTables = tables.get(playerId) ?? new Map();
    for (const what of new Set([...fromEvents.keys(), ...inTables.keys()])) {
      const expected = fromEvents.get(what) ?? 0;
      const actual = inTables.get(what) ?? 0;
      if (expected !== actual) drifts.push({ playerId, what, fromEvents: expected, inTables: actual });
    }
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(viewsSchema)) throw new Error(`invalid views schema name: ${viewsSchema}`);
  const { rows: unminted } = await pool
    .query<{ id: string; crafter_id: string }>(
      `SELECT c.id, c.crafter_id FROM game.cards c WHERE c.status = 'minted'
       AND NOT EXISTS (SELECT 1 FROM "${viewsSchema}".token t WHERE t.collection = 'card' AND t.token_id = c.id)`,
    )
    .catch(() => ({ rows: [] as { id: string; crafter_id: string }[] }));
  for (const row of unminted) drifts.push({ playerId: row.crafter_id, what: `card:${row.id}:minted-but-not-on-chain`, fromEvents: 1, inTables: 0 });
  return drifts;
}

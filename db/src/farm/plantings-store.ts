import type pg from "pg";
import type { Planting } from "@harvest/core/farming/planting";

type Client = pg.PoolClient | pg.Pool;

/** A planting as stored: the rule's planting plus where it is and the seed its outcomes derive from. */
export type StoredPlanting = Planting & { plotKey: string; fieldKey: string; randomSeed: string };

/** A game.plantings row as pg returns it. */
export type PlantingRow = { plot_key: string; field_key: string; planter_id: string; crop: string; genome: Planting["genome"]; planted_at_ms: string; ready_at_ms: string; random_seed: string };

/**
 * Where a plot lives in the database. Starter plots are the player's own (`starter:<playerId>:<i>`);
 * a land's plots are shared by whoever may use the land over time (`land:<tokenId>:<i>`).
 */
export function plotKeyOf(plotId: string, playerId: string): { plotKey: string; fieldKey: string } {
  if (plotId.startsWith("starter:")) {
    const index = plotId.slice("starter:".length);
    return { plotKey: `starter:${playerId}:${index}`, fieldKey: `starter:${playerId}` };
  }
  const [, tokenId] = plotId.split(":");
  return { plotKey: plotId, fieldKey: `land:${tokenId}` };
}

/** A stored planting from its row. */
export const plantingFromRow = (row: PlantingRow): StoredPlanting => ({
  plotId: plotIdOfKey(row.plot_key),
  plotKey: row.plot_key,
  fieldKey: row.field_key,
  planterId: row.planter_id,
  crop: row.crop as Planting["crop"],
  genome: row.genome,
  plantedAtMs: Number(row.planted_at_ms),
  readyAtMs: Number(row.ready_at_ms),
  randomSeed: row.random_seed,
});

/** The plot id a client sees for a stored plot key. */
export function plotIdOfKey(plotKey: string): string {
  return plotKey.startsWith("starter:") ? `starter:${plotKey.split(":")[2]}` : plotKey;
}

/** The plantings on the given fields (a farm's view, or a harvest's neighbours). */
export async function plantingsOnFields(client: Client, fieldKeys: readonly string[]): Promise<StoredPlanting[]> {
  if (fieldKeys.length === 0) return [];
  const { rows } = await client.query<PlantingRow>(`SELECT * FROM game.plantings WHERE field_key = ANY($1::text[])`, [fieldKeys]);
  return rows.map((row) => plantingFromRow(row));
}

/** The planting on a plot, locked for the rest of the transaction; null when the plot is empty. */
export async function lockPlanting(client: pg.PoolClient, plotKey: string): Promise<StoredPlanting | null> {
  const { rows } = await client.query<PlantingRow>(`SELECT * FROM game.plantings WHERE plot_key = $1 FOR UPDATE`, [plotKey]);
  return rows[0] ? plantingFromRow(rows[0]) : null;
}

/** Removes a planting; of concurrent removers, exactly one gets it. */
export async function removePlanting(client: pg.PoolClient, plotKey: string): Promise<boolean> {
  const { rowCount } = await client.query(`DELETE FROM game.plantings WHERE plot_key = $1`, [plotKey]);
  return rowCount === 1;
}

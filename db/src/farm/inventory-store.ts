import type pg from "pg";
import type { Seed } from "@harvest/core/farming/planting";
import type { ItemStack } from "@harvest/core/crafting/recipes";

type Client = pg.ClientBase | pg.Pool;

/** A seed row in a player's inventory. */
export type SeedRow = Seed & { id: string };

/** Adds stacks to a player's resources. */
export async function addResources(client: Client, playerId: string, stacks: readonly ItemStack[]): Promise<void> {
  if (stacks.length === 0) return;
  await client.query(
    `INSERT INTO game.resources (player_id, kind, quality, quantity)
     SELECT $1, t.kind, t.quality, t.quantity FROM unnest($2::text[], $3::int[], $4::int[]) AS t(kind, quality, quantity)
     ON CONFLICT (player_id, kind, quality) DO UPDATE SET quantity = game.resources.quantity + EXCLUDED.quantity`,
    [playerId, stacks.map((s) => s.kind), stacks.map((s) => s.quality), stacks.map((s) => s.quantity)],
  );
}

/**
 * Removes stacks from a player's resources, all or nothing: false when any stack is short. Rows are
 * locked in a fixed order, so concurrent spenders queue instead of deadlocking, and the CHECK on
 * quantity is the last line of defence against a negative balance.
 */
export async function takeResources(client: pg.PoolClient, playerId: string, stacks: readonly ItemStack[]): Promise<boolean> {
  const sorted = [...stacks].sort((a, b) => a.kind.localeCompare(b.kind) || a.quality - b.quality);
  for (const stack of sorted) {
    const { rowCount } = await client.query(
      `UPDATE game.resources SET quantity = quantity - $4 WHERE player_id = $1 AND kind = $2 AND quality = $3 AND quantity >= $4`,
      [playerId, stack.kind, stack.quality, stack.quantity],
    );
    if (rowCount !== 1) return false;
  }
  return true;
}

/** A player's resources with a positive quantity. */
export async function listResources(client: Client, playerId: string): Promise<ItemStack[]> {
  const { rows } = await client.query<{ kind: string; quality: number; quantity: number }>(
    `SELECT kind, quality, quantity FROM game.resources WHERE player_id = $1 AND quantity > 0 ORDER BY kind, quality`,
    [playerId],
  );
  return rows.map((row) => ({ kind: row.kind as ItemStack["kind"], quality: row.quality, quantity: row.quantity }));
}

/** Adds seeds; returns their ids. */
export async function addSeeds(client: Client, playerId: string, seeds: readonly Seed[]): Promise<string[]> {
  if (seeds.length === 0) return [];
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO game.seeds (player_id, crop, genome) SELECT $1, t.crop, t.genome FROM unnest($2::text[], $3::jsonb[]) AS t(crop, genome) RETURNING id`,
    [playerId, seeds.map((s) => s.crop), seeds.map((s) => JSON.stringify(s.genome))],
  );
  return rows.map((row) => row.id);
}

/** A player's seeds, oldest first. */
export async function listSeeds(client: Client, playerId: string): Promise<SeedRow[]> {
  const { rows } = await client.query<{ id: string; crop: string; genome: Seed["genome"] }>(
    `SELECT id, crop, genome FROM game.seeds WHERE player_id = $1 ORDER BY id`,
    [playerId],
  );
  return rows.map((row) => ({ id: row.id, crop: row.crop as Seed["crop"], genome: row.genome }));
}

/** Changes a player's coins by `delta`; false when that would go below zero. */
export async function addCoins(client: Client, playerId: string, delta: number): Promise<boolean> {
  const { rowCount } = await client.query(`UPDATE game.farms SET coins = coins + $2 WHERE player_id = $1 AND coins + $2 >= 0`, [playerId, delta]);
  return rowCount === 1;
}

/** A player's coins (0 before the farm exists). */
export async function coinsOf(client: Client, playerId: string): Promise<number> {
  const { rows } = await client.query<{ coins: string }>(`SELECT coins FROM game.farms WHERE player_id = $1`, [playerId]);
  return rows[0] ? Number(rows[0].coins) : 0;
}

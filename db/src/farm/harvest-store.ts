import type pg from "pg";
import type { ItemStack } from "@harvest/core/crafting/recipes";
import type { Seed } from "@harvest/core/farming/planting";
import { plantingFromRow, type PlantingRow, type StoredPlanting } from "./plantings-store.ts";

/**
 * The hot path of the planting loop, in as few round trips as the rules allow: one read (no lock),
 * the pure rule in JS, then ONE write statement, autocommitted (no BEGIN/COMMIT round trips). The
 * write re-checks in SQL what the read saw (the very planting still there, the seed still theirs), so
 * a concurrent action makes it change nothing instead of acting on a stale read; and, being one
 * statement, it is all or nothing like the transaction it replaces, outbox row included.
 *
 * The outbox rows are those `appendEvents` (../outbox.ts) writes: aggregate_type "farm", the player's
 * id, the event type and the JSON payload (with its `delta`), so the relay and `reconcileHoldings` read
 * them as before. The statements are named (prepared once per connection).
 */

type Queryable = pg.Pool | pg.PoolClient;

/**
 * The planting on a plot and the other plantings of its field (its possible pollinators), in one
 * query and without a lock. A plot's field is a function of its key (plotKeyOf), so the field's
 * plantings include the plot's own.
 */
export async function readPlotAndField(client: Queryable, plotKey: string, fieldKey: string): Promise<{ planting: StoredPlanting | null; neighbours: StoredPlanting[] }> {
  const { rows } = await client.query<PlantingRow>({
    name: "farm.harvest.read",
    text: `SELECT plot_key, field_key, planter_id, crop, genome, planted_at_ms, ready_at_ms, random_seed FROM game.plantings WHERE field_key = $1`,
    values: [fieldKey],
  });
  let planting: StoredPlanting | null = null;
  const neighbours: StoredPlanting[] = [];
  for (const row of rows) {
    if (row.plot_key === plotKey) planting = plantingFromRow(row);
    else neighbours.push(plantingFromRow(row));
  }
  return { planting, neighbours };
}

export type HarvestWrite = {
  /** The planting the read saw; the write removes it only if it is still that very planting. */
  planting: Pick<StoredPlanting, "plotKey" | "planterId" | "plantedAtMs" | "randomSeed">;
  /** Added to the planter's resources. */
  resources: readonly ItemStack[];
  /** Added to the planter's seeds. */
  seeds: readonly Seed[];
  /** The farm.harvested event's payload (with its delta). */
  payload: Record<string, unknown>;
};

/**
 * One statement: removes the planting if it is still the one that was read (plot, planter, planting
 * time and recorded seed all match), and only then adds the produce to the planter's resources, the
 * new seeds to their inventory and the farm.harvested event to the outbox. False when the planting
 * was gone or replaced: then nothing changed. Of concurrent harvests of one planting exactly one gets
 * true (the others' DELETE waits on the row, then finds it gone).
 */
export async function commitHarvest(client: Queryable, { planting, resources, seeds, payload }: HarvestWrite): Promise<boolean> {
  // A fixed order of resource rows, like takeResources, so no two writers lock them crosswise.
  const stacks = [...resources].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.quality - b.quality));
  const { rows } = await client.query<{ harvested: boolean }>({
    name: "farm.harvest.write",
    text: `WITH gone AS (
             DELETE FROM game.plantings
              WHERE plot_key = $1 AND planter_id = $2 AND planted_at_ms = $3 AND random_seed = $4
             RETURNING planter_id
           ), produce AS (
             INSERT INTO game.resources (player_id, kind, quality, quantity)
             SELECT gone.planter_id, t.kind, t.quality, t.quantity
               FROM gone, unnest($5::text[], $6::int[], $7::int[]) AS t(kind, quality, quantity)
             ON CONFLICT (player_id, kind, quality) DO UPDATE SET quantity = game.resources.quantity + EXCLUDED.quantity
           ), new_seeds AS (
             INSERT INTO game.seeds (player_id, crop, genome)
             SELECT gone.planter_id, t.crop, t.genome FROM gone, unnest($8::text[], $9::jsonb[]) AS t(crop, genome)
           ), event AS (
             INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
             SELECT 'farm', gone.planter_id::text, 'farm.harvested', $10::jsonb FROM gone
           )
           SELECT EXISTS (SELECT 1 FROM gone) AS harvested`,
    values: [
      planting.plotKey,
      planting.planterId,
      planting.plantedAtMs,
      planting.randomSeed,
      stacks.map((s) => s.kind),
      stacks.map((s) => s.quality),
      stacks.map((s) => s.quantity),
      seeds.map((s) => s.crop),
      seeds.map((s) => JSON.stringify(s.genome)),
      JSON.stringify(payload),
    ],
  });
  return rows[0]!.harvested;
}

/** What a plant needs to know first: the player's seed (null when not theirs or gone) and what grows on the plot. */
export async function readSeedAndPlot(client: Queryable, playerId: string, seedId: string, plotKey: string): Promise<{ seed: Seed | null; occupant: StoredPlanting | null }> {
  const { rows } = await client.query<{ seed_crop: string | null; seed_genome: Seed["genome"] | null } & { [K in keyof PlantingRow]: PlantingRow[K] | null }>({
    name: "farm.plant.read",
    text: `SELECT s.crop AS seed_crop, s.genome AS seed_genome,
                  p.plot_key, p.field_key, p.planter_id, p.crop, p.genome, p.planted_at_ms, p.ready_at_ms, p.random_seed
             FROM (SELECT 1) AS one
             LEFT JOIN game.seeds s ON s.id = $1 AND s.player_id = $2
             LEFT JOIN game.plantings p ON p.plot_key = $3`,
    values: [seedId, playerId, plotKey],
  });
  const row = rows[0]!;
  return {
    seed: row.seed_crop === null ? null : { crop: row.seed_crop as Seed["crop"], genome: row.seed_genome as Seed["genome"] },
    occupant: row.plot_key === null ? null : plantingFromRow(row as PlantingRow),
  };
}

export type PlantWrite = {
  seedId: string;
  planting: StoredPlanting;
  /** The farm.planted event's payload (with its delta). */
  payload: Record<string, unknown>;
};

/**
 * One statement: takes the seed from the planter's inventory, puts the planting in the ground and
 * adds the farm.planted event. "seed_gone" when the seed was not theirs or already used (nothing
 * changed); "plot_taken" when the plot was planted meanwhile: the planting's insert then violates the
 * plot key and the whole statement, the seed's removal included, is undone.
 */
export async function commitPlanting(client: Queryable, { seedId, planting, payload }: PlantWrite): Promise<"planted" | "seed_gone" | "plot_taken"> {
  try {
    const { rows } = await client.query<{ planted: boolean }>({
      name: "farm.plant.write",
      text: `WITH seed AS (
               DELETE FROM game.seeds WHERE id = $1 AND player_id = $2 RETURNING player_id
             ), planted AS (
               INSERT INTO game.plantings (plot_key, field_key, planter_id, crop, genome, planted_at_ms, ready_at_ms, random_seed)
               SELECT $3, $4, seed.player_id, $5, $6::jsonb, $7, $8, $9 FROM seed
               RETURNING planter_id
             ), event AS (
               INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
               SELECT 'farm', planted.planter_id::text, 'farm.planted', $10::jsonb FROM planted
             )
             SELECT EXISTS (SELECT 1 FROM planted) AS planted`,
      values: [
        seedId,
        planting.planterId,
        planting.plotKey,
        planting.fieldKey,
        planting.crop,
        JSON.stringify(planting.genome),
        planting.plantedAtMs,
        planting.readyAtMs,
        planting.randomSeed,
        JSON.stringify(payload),
      ],
    });
    return rows[0]!.planted ? "planted" : "seed_gone";
  } catch (error) {
    if ((error as { code?: string; constraint?: string }).code === "23505" && (error as { constraint?: string }).constraint === "plantings_pkey") return "plot_taken";
    throw error;
  }
}

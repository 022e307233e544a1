import type pg from "pg";
import type { ItemStack } from "@harvest/core/crafting/recipes";
import type { Seed } from "@harvest/core/farming/planting";
import { plantingFromRow, type PlantingRow, type StoredPlanting } from "./plantings-store.ts";

/**
 * The hot path of the planting loop, in as few round trips as the rules allow: one read (no lock),
 * the pure rule in JS, then ONE write statement, autocommitted (no BEGIN/COMMIT round trips). The
 * write re-checks in SQL what the read saw (the very planting still there, the seed still theirs), so
 * a concurrent action makes it change nothing instead of acting on a stale read; and, being one
 * statement, it is all or nothing like the transaction it replaces, outbox row included. Harvests
 * also come in batches (readPlotsAndFields, commitHarvests): the farm service group-commits them, as
 * under load the cost is per statement more than per row.
 *
 * The outbox rows are those `appendEvents` (../outbox.ts) writes: aggregate_type "farm", the player's
 * id, the event type and the JSON payload (with its `delta`), so the relay and `reconcileHoldings` read
 * them as before. The statements are named (prepared once per connection).
 */

type Queryable = pg.Pool | pg.PoolClient;

/** What a harvest reads: the plot and its field (a function of the plot key, see plotKeyOf). */
export type PlotRead = { plotKey: string; fieldKey: string };

export type PlotAndField = { planting: StoredPlanting | null; neighbours: StoredPlanting[] };

const PLANTING_COLUMNS = `plot_key, field_key, planter_id, crop, genome, planted_at_ms, ready_at_ms, random_seed`;

/** The plot's own planting and the rest of its field, as fresh objects for each caller. */
function splitField(rows: readonly PlantingRow[], plotKey: string): PlotAndField {
  let planting: StoredPlanting | null = null;
  const neighbours: StoredPlanting[] = [];
  for (const row of rows) {
    if (row.plot_key === plotKey) planting = plantingFromRow(row);
    else neighbours.push(plantingFromRow(row));
  }
  return { planting, neighbours };
}

/**
 * For each plot, in order: the planting on it and the other plantings of its field (its possible
 * pollinators), all in one query and without a lock (a group commit of harvests reads this way). A
 * plot's field is a function of its key (plotKeyOf), so the field's plantings include the plot's own.
 * Plots of one field share its rows but not the objects.
 */
export async function readPlotsAndFields(client: Queryable, plots: readonly PlotRead[]): Promise<PlotAndField[]> {
  if (plots.length === 0) return [];
  // Sorted, so that equal batches are equal parameters and the index is walked in order.
  const fieldKeys = [...new Set(plots.map((plot) => plot.fieldKey))].sort();
  const { rows } = await client.query<PlantingRow>({
    name: "farm.harvest.read-many",
    text: `SELECT ${PLANTING_COLUMNS} FROM game.plantings WHERE field_key = ANY($1::text[])`,
    values: [fieldKeys],
  });
  const byField = new Map<string, PlantingRow[]>();
  for (const row of rows) {
    const field = byField.get(row.field_key);
    if (field) field.push(row);
    else byField.set(row.field_key, [row]);
  }
  return plots.map(({ plotKey, fieldKey }) => splitField(byField.get(fieldKey) ?? [], plotKey));
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

/** Code unit order, which is byte order for the ASCII keys and kinds here, as COLLATE "C" sorts. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Many harvests in ONE statement (a group commit's batch), each answered on its own as commitHarvest
 * would: true when its planting was still the one it read and is now harvested, false when it was gone
 * or replaced (then nothing of it was written). Two harvests of one planting in a batch harvest it once
 * (the DELETE removes a row once, so only one of them is in `gone`). A lone harvest runs commitHarvest
 * itself, so the one-by-one retry of a failed batch has exactly the single statement's semantics.
 *
 * Locks, so that concurrent batches (and lone harvests, and crafts) queue rather than deadlock:
 * plantings are deleted in plot key order (the input is sorted and drives the join), and only then
 * are resource rows upserted, in (player, kind, quality) order. An upsert may not touch one row twice
 * in a statement, hence the produce of one player's harvests summed per kind and quality first. A
 * deadlock that gets through anyway fails the batch, which the group commit then writes one by one.
 */
export async function commitHarvests(client: Queryable, writes: readonly HarvestWrite[]): Promise<boolean[]> {
  if (writes.length === 0) return [];
  if (writes.length === 1) return [await commitHarvest(client, writes[0]!)];
  const order = writes.map((_, idx) => idx).sort((a, b) => compareText(writes[a]!.planting.plotKey, writes[b]!.planting.plotKey) || a - b);
  const resources: { idx: number; stack: ItemStack }[] = [];
  const seeds: { idx: number; seed: Seed }[] = [];
  for (const idx of order) {
    for (const stack of writes[idx]!.resources) resources.push({ idx, stack });
    for (const seed of writes[idx]!.seeds) seeds.push({ idx, seed });
  }
  const { rows } = await client.query<{ idx: number }>({
    name: "farm.harvest.write-many",
    text: `WITH gone AS (
             DELETE FROM game.plantings p
              USING unnest($1::int[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::jsonb[])
                    AS t(idx, plot_key, planter_id, planted_at_ms, random_seed, payload)
              WHERE p.plot_key = t.plot_key AND p.planter_id = t.planter_id AND p.planted_at_ms = t.planted_at_ms AND p.random_seed = t.random_seed
             RETURNING t.idx, p.planter_id, t.payload
           ), produce AS (
             INSERT INTO game.resources (player_id, kind, quality, quantity)
             SELECT gone.planter_id, r.kind, r.quality, sum(r.quantity)
               FROM unnest($7::int[], $8::text[], $9::int[], $10::int[]) AS r(idx, kind, quality, quantity)
               JOIN gone ON gone.idx = r.idx
              GROUP BY gone.planter_id, r.kind, r.quality
              ORDER BY gone.planter_id, r.kind COLLATE "C", r.quality
             ON CONFLICT (player_id, kind, quality) DO UPDATE SET quantity = game.resources.quantity + EXCLUDED.quantity
           ), new_seeds AS (
             INSERT INTO game.seeds (player_id, crop, genome)
             SELECT gone.planter_id, s.crop, s.genome
               FROM unnest($11::int[], $12::text[], $13::jsonb[]) WITH ORDINALITY AS s(idx, crop, genome, n)
               JOIN gone ON gone.idx = s.idx
              ORDER BY s.n
           ), event AS (
             INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
             SELECT 'farm', gone.planter_id::text, 'farm.harvested', gone.payload FROM gone ORDER BY gone.idx
           )
           SELECT idx FROM gone`,
    values: [
      order,
      order.map((idx) => writes[idx]!.planting.plotKey),
      order.map((idx) => writes[idx]!.planting.planterId),
      order.map((idx) => writes[idx]!.planting.plantedAtMs),
      order.map((idx) => writes[idx]!.planting.randomSeed),
      order.map((idx) => JSON.stringify(writes[idx]!.payload)),
      resources.map((r) => r.idx),
      resources.map((r) => r.stack.kind),
      resources.map((r) => r.stack.quality),
      resources.map((r) => r.stack.quantity),
      seeds.map((s) => s.idx),
      seeds.map((s) => s.seed.crop),
      seeds.map((s) => JSON.stringify(s.seed.genome)),
    ],
  });
  const harvested = new Set(rows.map((row) => row.idx));
  return writes.map((_, idx) => harvested.has(idx));
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

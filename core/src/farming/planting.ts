import { isCropKind, type CropKind } from "./catalogue.ts";
import type { PlotDescriptor } from "./farm.ts";
import { validateGenome, type Genome } from "./genome.ts";
import type { PlotId } from "./grid.ts";
import { readyAt } from "./growth.ts";

/** A seed in the inventory: a crop and its genes. */
export type Seed = { crop: CropKind; genome: Genome };

/** A crop in the ground. Its ready time is fixed when it is planted. */
export type Planting = {
  plotId: PlotId;
  crop: CropKind;
  genome: Genome;
  /** Who planted it (and owns the crop, whoever holds the land later: see lease.ts). */
  planterId: string;
  plantedAtMs: number;
  readyAtMs: number;
};

export type PlantParameters = {
  plot: PlotDescriptor;
  seed: { crop: string; genome: unknown };
  planterId: string;
  /** The server's game time. */
  nowMs: number;
  /** What grows on the plot now, or null when it is empty. */
  occupant: Planting | null;
};

export type PlantResult =
  | { ok: true; planting: Planting }
  | { ok: false; code: "PLOT_OCCUPIED" | "UNKNOWN_CROP" | "INVALID_GENOME" };

/**
 * Puts a seed in an empty plot at game time `nowMs`. Whether the planter may use the plot at all is
 * the caller's question (plotsFor lists only plots it may use); this rule checks the plot and the seed.
 */
export function plant({ plot, seed, planterId, nowMs, occupant }: PlantParameters): PlantResult {
  if (occupant !== null) return { ok: false, code: "PLOT_OCCUPIED" };
  if (!isCropKind(seed.crop)) return { ok: false, code: "UNKNOWN_CROP" };
  const checked = validateGenome(seed.genome);
  if (!checked.ok) return { ok: false, code: "INVALID_GENOME" };
  const crop: CropKind = seed.crop;
  return {
    ok: true,
    planting: {
      plotId: plot.id,
      crop,
      genome: checked.genome,
      planterId,
      plantedAtMs: nowMs,
      readyAtMs: readyAt(nowMs, crop, checked.genome, plot.fertility, plot.trait),
    },
  };
}

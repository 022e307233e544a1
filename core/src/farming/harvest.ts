import { farmingCatalogue, isCropKind, type LandTrait, type ResourceKind } from "./catalogue.ts";
import { crossGenomes, validateGenome, type Genome } from "./genome.ts";
import { areAdjacent, type PlotId } from "./grid.ts";
import { assertFertility, isReady } from "./growth.ts";
import type { Planting, Seed } from "./planting.ts";
import { expectedYield, failureChance, qualityScore, rollQuality, rollQuantity } from "./produce.ts";
import { createRng, deriveSeed } from "./random.ts";

/** Produce from a harvest: a stack of one kind at one quality grade. */
export type ResourceYield = { kind: ResourceKind; quantity: number; quality: number };

/** A seed from a harvest, with the neighbour that pollinated it (null when it self-pollinated). */
export type HarvestedSeed = Seed & { pollinator: PlotId | null };

export type HarvestParameters = {
  planting: Planting;
  /**
   * Plantings on the same farm. Only those beside the harvested plot, of the same crop and in the
   * ground by `nowMs`, can pollinate; the rest are ignored, so the caller may pass every planting.
   */
  neighbours: readonly Planting[];
  /** The recorded seed of this harvest (for example deriveSeed(serverSeed, `harvest:${plotId}:${plantedAtMs}`)). */
  seed: string;
  fertility: number;
  trait: LandTrait;
  /** The server's game time. */
  nowMs: number;
};

export type HarvestResult =
  | { ok: true; resources: ResourceYield[]; seeds: HarvestedSeed[]; failed: boolean; randomSeed: string }
  | { ok: false; code: "NOT_READY"; readyAtMs: number }
  | { ok: false; code: "UNKNOWN_CROP" | "INVALID_GENOME" };

/**
 * Harvests a ready crop. Each random part draws from its own seed derived from `seed` ("failure",
 * "yield", "quality", "seeds", "seed:0", "seed:1"), so the outcome is a pure function of the arguments and
 * `randomSeed`, which the caller records beside the result for audit and replay.
 *
 * - A failed harvest (see `failureChance`) gives half the produce (at least 1), one grade lower, no seeds.
 * - A sound harvest gives a seed with 35 % chance, and then a second with 10 %. Each seed is crossed
 *   with a random eligible neighbour with 50 % chance ("Gene Weaver"), else self-pollinated; either
 *   way each gene may mutate (6 %, halved on a Wellspring).
 *
 * @example
 * const result = harvest({ planting, neighbours, seed, fertility: 100, trait: "none", nowMs });
 * if (!result.ok && result.code === "NOT_READY") tellPlayer(result.readyAtMs);
 */
export function harvest({ planting, neighbours, seed, fertility, trait, nowMs }: HarvestParameters): HarvestResult {
  if (!isCropKind(planting.crop)) return { ok: false, code: "UNKNOWN_CROP" };
  if (!validateGenome(planting.genome).ok) return { ok: false, code: "INVALID_GENOME" };
  if (!isReady(planting, nowMs)) return { ok: false, code: "NOT_READY", readyAtMs: planting.readyAtMs };
  assertFertility(fertility);

  const { crop, genome } = planting;
  const failed = createRng(deriveSeed(seed, "failure")).chance(failureChance(genome, trait));
  const quantity = rollQuantity(expectedYield(crop, genome, fertility, trait), createRng(deriveSeed(seed, "yield")));
  const quality = rollQuality(qualityScore(genome, fertility), createRng(deriveSeed(seed, "quality")));
  const resource: ResourceYield = {
    kind: farmingCatalogue.crops[crop].resource,
    quantity: failed ? Math.max(1, Math.floor(quantity / 2)) : quantity,
    quality: failed ? Math.max(farmingCatalogue.harvest.minQuality, quality - 1) : quality,
  };
  const seeds = failed ? [] : harvestSeeds(planting, pollinatorsOf(planting, neighbours, nowMs), seed, trait);
  return { ok: true, resources: [resource], seeds, failed, randomSeed: seed };
}

/** How many seeds a sound harvest gives back: 0, 1 or 2. */
function seedCount(seed: string): number {
  const rng = createRng(deriveSeed(seed, "seeds"));
  const { seedChance, secondSeedChance } = farmingCatalogue.harvest;
  const first = rng.chance(seedChance);
  const second = rng.chance(secondSeedChance);
  return first ? (second ? 2 : 1) : 0;
}

function harvestSeeds(planting: Planting, pollinators: readonly Planting[], seed: string, trait: LandTrait): HarvestedSeed[] {
  const mutationRate = farmingCatalogue.harvest.mutationRate * farmingCatalogue.traits[trait].mutationFactor;
  return Array.from({ length: seedCount(seed) }, (_, i) => {
    const rng = createRng(deriveSeed(seed, `seed:${i}`));
    const crosses = rng.chance(farmingCatalogue.harvest.crossPollinationChance) && pollinators.length > 0;
    const partner = crosses ? rng.pick(pollinators) : null;
    const other: Genome = partner?.genome ?? planting.genome;
    return { crop: planting.crop, genome: crossGenomes(planting.genome, other, rng, mutationRate), pollinator: partner?.plotId ?? null };
  });
}

/**
 * The neighbours that can pollinate: beside the plot, the same crop (other crops do not cross), in the
 * ground by now, each plot once, sorted by plot id so that the caller's order never changes the result.
 */
export function pollinatorsOf(planting: Planting, neighbours: readonly Planting[], nowMs: number): Planting[] {
  const byPlot = new Map<PlotId, Planting>();
  for (const other of neighbours) {
    if (other.crop !== planting.crop || other.plantedAtMs > nowMs || !areAdjacent(planting.plotId, other.plotId)) continue;
    if (!validateGenome(other.genome).ok || byPlot.has(other.plotId)) continue;
    byPlot.set(other.plotId, other);
  }
  return [...byPlot.values()].sort((a, b) => (a.plotId < b.plotId ? -1 : a.plotId > b.plotId ? 1 : 0));
}

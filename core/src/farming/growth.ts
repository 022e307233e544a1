import { farmingCatalogue, type CropKind, type LandTrait } from "./catalogue.ts";
import type { Genome } from "./genome.ts";

/**
 * How long a crop takes to grow, in game-time milliseconds: the crop's base time, shortened by vigor
 * (3 % a point), scaled by 100 / fertility (fertility 200 grows twice as fast, 50 half as fast, as the
 * land contract documents) and by the trait (a Greenhouse grows in three quarters of the time). The
 * result is held within [0.2, 2] times the base and rounded up to a whole millisecond.
 *
 * It never increases when fertility or vigor rise (the rounding and the bounds keep that order).
 *
 * @example
 * growthTimeMs("wheat", genome, 100, "none") // 600_000 at vigor 0
 */
export function growthTimeMs(crop: CropKind, genome: Genome, fertility: number, trait: LandTrait): number {
  assertFertility(fertility);
  const { baseGrowthMs } = farmingCatalogue.crops[crop];
  const { minFactor, maxFactor, baseFertility } = farmingCatalogue.growth;
  const vigorFactor = 1 - genome.vigor * farmingCatalogue.effects.vigorGrowthCutPerPoint;
  const factor = vigorFactor * (baseFertility / fertility) * farmingCatalogue.traits[trait].growthFactor;
  return Math.ceil(baseGrowthMs * Math.min(maxFactor, Math.max(minFactor, factor)));
}

/** When a crop planted at `plantedAtMs` is ready (game time). */
export function readyAt(plantedAtMs: number, crop: CropKind, genome: Genome, fertility: number, trait: LandTrait): number {
  return plantedAtMs + growthTimeMs(crop, genome, fertility, trait);
}

/**
 * Whether the planting is ready at the server's game time `nowMs`. The ready time is fixed at planting
 * (`readyAtMs`), so a later balance change never moves a crop already in the ground.
 */
export function isReady(planting: { readyAtMs: number }, nowMs: number): boolean {
  return nowMs >= planting.readyAtMs;
}

/** Fertility comes from the chain (50..200) or the starter farm (100); anything else is a caller's bug. */
export function assertFertility(fertility: number): void {
  const { minFertility, maxFertility } = farmingCatalogue.growth;
  if (!Number.isInteger(fertility) || fertility < minFertility || fertility > maxFertility) {
    throw new RangeError(`fertility must be an integer in [${minFertility}, ${maxFertility}], got ${fertility}`);
  }
}

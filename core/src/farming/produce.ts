import { farmingCatalogue, type CropKind, type LandTrait } from "./catalogue.ts";
import type { Genome } from "./genome.ts";
import type { Rng } from "./random.ts";

/**
 * The arithmetic of a harvest's produce, apart from the harvest's bookkeeping: how much, how good, and
 * how likely a failure. Each function that rolls takes its own generator.
 */

/**
 * The expected quantity (before rounding): the crop's base yield, plus 8 % a yield point, times
 * fertility / 100, times the trait's yield factor (an Orchard gives a quarter more).
 */
export function expectedYield(crop: CropKind, genome: Genome, fertility: number, trait: LandTrait): number {
  const { baseYield } = farmingCatalogue.crops[crop];
  const geneFactor = 1 + genome.yield * farmingCatalogue.effects.yieldBonusPerPoint;
  return baseYield * geneFactor * (fertility / farmingCatalogue.growth.baseFertility) * farmingCatalogue.traits[trait].yieldFactor;
}

/**
 * A whole quantity whose average is `expected`: the whole part, plus one with the chance of the
 * fraction (so 4.3 gives 5 three times in ten). Never below 1, so a ready crop always gives something.
 */
export function rollQuantity(expected: number, rng: Rng): number {
  const whole = Math.floor(expected);
  return Math.max(1, whole + (rng.chance(expected - whole) ? 1 : 0));
}

/** The chance that a harvest fails: 12 %, less up to three quarters with resilience, halved on a Wellspring. */
export function failureChance(genome: Genome, trait: LandTrait): number {
  const { resilienceFailureCut } = farmingCatalogue.effects;
  const resilience = genome.resilience / farmingCatalogue.genes.max;
  return farmingCatalogue.harvest.baseFailureChance * (1 - resilience * resilienceFailureCut) * farmingCatalogue.traits[trait].failureFactor;
}

/**
 * The produce's quality score in [0, 1] before the random spread: 70 % from the genes (hue counting
 * twice, resilience once) and 30 % from fertility (50 scores 0, 200 scores 1).
 */
export function qualityScore(genome: Genome, fertility: number): number {
  const { hueQualityWeight, resilienceQualityWeight } = farmingCatalogue.effects;
  const { min, max } = farmingCatalogue.genes;
  const geneScore =
    (hueQualityWeight * (genome.hue - min) + resilienceQualityWeight * (genome.resilience - min)) /
    ((hueQualityWeight + resilienceQualityWeight) * (max - min));
  const { minFertility, maxFertility } = farmingCatalogue.growth;
  const soilScore = (fertility - minFertility) / (maxFertility - minFertility);
  const { geneQualityShare, fertilityQualityShare } = farmingCatalogue.harvest;
  return geneQualityShare * geneScore + fertilityQualityShare * soilScore;
}

/** A quality grade 1..5: the score plus a spread of ±0.1, cut into five equal bands. */
export function rollQuality(score: number, rng: Rng): number {
  const { minQuality, maxQuality, qualityJitter } = farmingCatalogue.harvest;
  const jittered = score + (rng.next() * 2 - 1) * qualityJitter;
  const grade = minQuality + Math.floor(jittered * (maxQuality - minQuality + 1));
  return Math.min(maxQuality, Math.max(minQuality, grade));
}

import fc from "fast-check";
import { cropKinds, farmingCatalogue, landTraits } from "../catalogue.ts";
import type { Genome } from "../genome.ts";
import type { Planting } from "../planting.ts";

/** The fast-check settings every property test uses: a fixed seed, so a failure replays the same way. */
export const propertyRuns = { seed: 7, numRuns: 500 } as const;

/** A gene level in range. */
export const geneLevel = fc.integer({ min: farmingCatalogue.genes.min, max: farmingCatalogue.genes.max });

/** A valid genome. */
export const genomeArb: fc.Arbitrary<Genome> = fc.record({ vigor: geneLevel, yield: geneLevel, hue: geneLevel, resilience: geneLevel });

export const cropArb = fc.constantFrom(...cropKinds);
export const traitArb = fc.constantFrom(...landTraits);
export const fertilityArb = fc.integer({ min: farmingCatalogue.growth.minFertility, max: farmingCatalogue.growth.maxFertility });
export const seedArb = fc.string({ minLength: 1, maxLength: 40 });

/** A genome with every gene at `level`. */
export function flatGenome(level: number): Genome {
  return { vigor: level, yield: level, hue: level, resilience: level };
}

/** A wheat planting on `plotId`, ready at 600 000 ms, with the given genome. */
export function plantingOn(plotId: string, genome: Genome = flatGenome(5), overrides: Partial<Planting> = {}): Planting {
  return { plotId, crop: "wheat", genome, planterId: "alice", plantedAtMs: 0, readyAtMs: 600_000, ...overrides };
}

import { encodePacked, keccak256, type Hex } from "viem";
import { farmingCatalogue, type GeneName } from "./catalogue.ts";
import type { Rng } from "./random.ts";

/**
 * A seed's genes, each an integer in 0..15 (see docs/farming-rules.md for what each does):
 * vigor (faster growth), yield (more produce), hue (better quality), resilience (fewer failures).
 */
export type Genome = Readonly<Record<GeneName, number>>;

/** The genes in their fixed order (the order of `genomeHash`). */
export const geneNames: readonly GeneName[] = farmingCatalogue.genes.names;

/** Why a value is not a genome. */
export type GenomeValidation = { ok: true; genome: Genome } | { ok: false; code: "INVALID_GENOME"; gene: string };

/** Checks that `value` is a genome: exactly the four genes, each an integer in range. */
export function validateGenome(value: unknown): GenomeValidation {
  if (typeof value !== "object" || value === null) return { ok: false, code: "INVALID_GENOME", gene: "*" };
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).find((key) => !(geneNames as readonly string[]).includes(key));
  if (extra !== undefined) return { ok: false, code: "INVALID_GENOME", gene: extra };
  for (const gene of geneNames) {
    const level = record[gene];
    if (typeof level !== "number" || !isGeneLevel(level)) return { ok: false, code: "INVALID_GENOME", gene };
  }
  const genome = Object.fromEntries(geneNames.map((gene) => [gene, record[gene]])) as Genome;
  return { ok: true, genome };
}

/** Whether `level` is a whole number within the gene range. */
export function isGeneLevel(level: number): boolean {
  return Number.isInteger(level) && level >= farmingCatalogue.genes.min && level <= farmingCatalogue.genes.max;
}

/**
 * A child of `a` and `b` ("Gene Weaver"): each gene comes from one parent, picked at random; then with
 * chance `mutationRate` it moves by 1 or 2 either way, clamped to the gene range. Crossing a genome with
 * itself is self-pollination: only mutation changes it.
 *
 * @example
 * crossGenomes(mother, father, createRng(deriveSeed(harvestSeed, "seed:0")), 0.06)
 */
export function crossGenomes(a: Genome, b: Genome, rng: Rng, mutationRate: number): Genome {
  const child: Partial<Record<GeneName, number>> = {};
  for (const gene of geneNames) {
    // Draw the parent pick and the mutation roll for every gene, whatever the outcome, so that the
    // number of draws (and so every later gene) does not depend on the parents' values.
    const fromA = rng.chance(0.5);
    const mutates = rng.chance(mutationRate);
    const step = rng.int(1, 2) * (rng.chance(0.5) ? 1 : -1);
    const inherited = fromA ? a[gene] : b[gene];
    child[gene] = clampGene(mutates ? inherited + step : inherited);
  }
  return child as Genome;
}

/** `level` held within the gene range. */
export function clampGene(level: number): number {
  return Math.min(farmingCatalogue.genes.max, Math.max(farmingCatalogue.genes.min, level));
}

/** A genome with every gene drawn uniformly from [min, max] (vendor seeds). */
export function randomGenome(rng: Rng, min: number, max: number): Genome {
  return Object.fromEntries(geneNames.map((gene) => [gene, clampGene(rng.int(min, max))])) as Genome;
}

/**
 * The genome's identity: keccak256 of its genes packed as four uint8 (vigor, yield, hue, resilience). Two seeds
 * with the same genes share it, which lets the inventory stack them.
 */
export function genomeHash(genome: Genome): Hex {
  return keccak256(encodePacked(["uint8", "uint8", "uint8", "uint8"], [genome.vigor, genome.yield, genome.hue, genome.resilience]));
}

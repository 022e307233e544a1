import { farmingCatalogue, type CropKind, type ResourceKind } from "./catalogue.ts";
import { randomGenome, type Genome } from "./genome.ts";
import type { Rng } from "./random.ts";

/**
 * The in-game vendor: it buys produce and sells seeds, at prices that move with recent trade. The
 * caller counts the units traded within `farmingCatalogue.vendor.windowMs` (one hour); the rules only
 * price. Prices are whole coins, at least 1.
 */

/** The largest single sale the vendor prices at once; bigger ones are split by the caller. */
export const MAX_SALE_UNITS = 100_000;

/**
 * What the vendor pays for one unit of `kind` after `soldRecently` units of it were sold in the window:
 * base × (1 + 10 % a quality grade above 1) × 0.5^(soldRecently / liquidity), held between a quarter
 * of that and the full price, rounded down. It never rises as more is sold.
 *
 * @example
 * sellPrice("grain", 0)   // 30
 * sellPrice("grain", 200) // 15: 200 grain in an hour halve the price
 */
export function sellPrice(kind: ResourceKind, soldRecently: number, quality = 1): number {
  assertCount(soldRecently, "soldRecently");
  const { basePrice, liquidity } = farmingCatalogue.resources[kind];
  const { decay, sellFloor, sellCeiling, qualityPremiumPercentPerGrade } = farmingCatalogue.vendor;
  const { minQuality, maxQuality } = farmingCatalogue.harvest;
  if (!Number.isInteger(quality) || quality < minQuality || quality > maxQuality) throw new RangeError(`bad quality ${quality}`);
  // In whole percent, so that 350 at +40 % is exactly 490 (0.1 steps in floating point are not exact).
  const full = (basePrice * (100 + (quality - minQuality) * qualityPremiumPercentPerGrade)) / 100;
  const moved = full * decay ** (soldRecently / liquidity);
  return Math.max(1, Math.floor(Math.min(full * sellCeiling, Math.max(full * sellFloor, moved))));
}

/**
 * What the vendor pays for `quantity` units sold at once: each unit at the price after the ones before
 * it, so that one big sale gets the same as the same units sold one by one.
 */
export function sellQuote(kind: ResourceKind, quantity: number, soldRecently: number, quality = 1): number {
  assertCount(quantity, "quantity");
  if (quantity > MAX_SALE_UNITS) throw new RangeError(`a sale is at most ${MAX_SALE_UNITS} units`);
  let total = 0;
  for (let i = 0; i < quantity; i++) total += sellPrice(kind, soldRecently + i, quality);
  return total;
}

/**
 * What the vendor asks for one seed of `crop` after `boughtRecently` of them were bought in the window:
 * the catalogue price × 1.5^(boughtRecently / 100), at most twice the catalogue price, rounded up. It
 * never falls as more are bought (a run on one seed makes it dearer for a while).
 */
export function buyPrice(crop: CropKind, boughtRecently = 0): number {
  assertCount(boughtRecently, "boughtRecently");
  const { seedPrice } = farmingCatalogue.crops[crop];
  const { seedGrowth, seedLiquidity, seedCeiling } = farmingCatalogue.vendor;
  return Math.max(1, Math.ceil(Math.min(seedPrice * seedCeiling, seedPrice * seedGrowth ** (boughtRecently / seedLiquidity))));
}

/** The genes of a seed bought from the vendor: each drawn in 3..7, so bred seeds are worth more. */
export function rollVendorGenome(rng: Rng): Genome {
  return randomGenome(rng, farmingCatalogue.genes.vendorMin, farmingCatalogue.genes.vendorMax);
}

function assertCount(value: number, name: string) {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number >= 0, got ${value}`);
}

import { farmingCatalogue, landTraitFromCode, type LandTrait } from "./catalogue.ts";
import { fieldIdOf, plotIdOf, type PlotId } from "./grid.ts";
import { assertFertility } from "./growth.ts";

/** One plot a player may farm now, with the soil it grows in. */
export type PlotDescriptor = {
  /** `starter:<i>` or `land:<tokenId>:<i>`. */
  id: PlotId;
  /** `starter` or `land:<tokenId>`: plots are adjacent only within one field. */
  field: string;
  /** The plot's index in its field, 0-based, row-major (see grid.ts). */
  index: number;
  /** How many plots the field has (for `neighboursOf`). */
  fieldSize: number;
  /** The land token, or null for the starter farm. */
  tokenId: bigint | null;
  fertility: number;
  trait: LandTrait;
};

/** A land token's on-chain attributes (HarvestLand's `LandAttributes`), as the indexer has them. */
export type LandPlots = { tokenId: bigint; plots: number; fertility: number; trait: number };

/** Which fields a player may farm now: its starter farm, and the lands it owns (not rented out) or rents. */
export type PlotsForParameters = { starter: boolean; lands: readonly LandPlots[] };

/**
 * The plots a player may farm now: the starter farm's first (4 plots, fertility 100, no trait), then
 * each land's, by ascending token id. Which lands to pass is the ownership module's answer
 * (core/src/ownership/use-right.ts); attributes outside the contract's ranges are a bug and throw.
 *
 * @example
 * plotsFor({ starter: true, lands: [{ tokenId: 7n, plots: 2, fertility: 150, trait: 1 }] }).map((p) => p.id)
 * // ["starter:0", "starter:1", "starter:2", "starter:3", "land:7:0", "land:7:1"]
 */
export function plotsFor({ starter, lands }: PlotsForParameters): PlotDescriptor[] {
  const plots: PlotDescriptor[] = [];
  if (starter) {
    const farm = farmingCatalogue.starterFarm;
    plots.push(...fieldPlots(null, farm.plots, farm.fertility, farm.trait));
  }
  const seen = new Set<bigint>();
  for (const land of [...lands].sort((x, y) => (x.tokenId < y.tokenId ? -1 : x.tokenId > y.tokenId ? 1 : 0))) {
    if (seen.has(land.tokenId)) throw new RangeError(`land ${land.tokenId} is listed twice`);
    seen.add(land.tokenId);
    plots.push(...fieldPlots(land.tokenId, land.plots, land.fertility, traitOf(land)));
  }
  return plots;
}

/** The largest field a land can be (HarvestLand.MAX_PLOTS). */
export const MAX_LAND_PLOTS = 16;

function fieldPlots(tokenId: bigint | null, count: number, fertility: number, trait: LandTrait): PlotDescriptor[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_LAND_PLOTS) throw new RangeError(`a field has 1..16 plots, got ${count}`);
  assertFertility(fertility);
  return Array.from({ length: count }, (_, index) => ({
    id: plotIdOf(tokenId, index),
    field: fieldIdOf(tokenId),
    index,
    fieldSize: count,
    tokenId,
    fertility,
    trait,
  }));
}

function traitOf(land: LandPlots): LandTrait {
  const trait = landTraitFromCode(land.trait);
  if (trait === null) throw new RangeError(`land ${land.tokenId} has unknown trait code ${land.trait}`);
  return trait;
}

import { farmingCatalogue } from "./catalogue.ts";

/**
 * Plot ids and adjacency. Each field (the starter farm, or one land token) lays its plots out in a
 * grid `farmingCatalogue.gridWidth` (4) columns wide, row-major: plot 0 is top-left, plot 4 is below
 * it. Neighbours share an edge (up, down, left, right); fields are never adjacent to each other, since
 * two lands are separate tokens that need not lie side by side.
 *
 * ```
 *  0  1  2  3
 *  4  5  6  7      neighboursOf(5, 16) = [1, 4, 6, 9]
 *  8  9 10 11
 * 12 13 14 15
 * ```
 */

/** A plot's stable id: `starter:<i>` or `land:<tokenId>:<i>`. */
export type PlotId = string;

/** The plot id of plot `index` of the starter farm (`tokenId` null) or of land `tokenId`. */
export function plotIdOf(tokenId: bigint | null, index: number): PlotId {
  return `${fieldIdOf(tokenId)}:${index}`;
}

/** The field id: `starter` or `land:<tokenId>`. */
export function fieldIdOf(tokenId: bigint | null): string {
  return tokenId === null ? "starter" : `land:${tokenId}`;
}

/** The field and index of a plot id, or null when it is not one. */
export function parsePlotId(id: string): { field: string; index: number } | null {
  const match = /^(starter|land:(?:0|[1-9]\d*)):(0|[1-9]\d*)$/.exec(id);
  if (match === null) return null;
  return { field: match[1] as string, index: Number(match[2]) };
}

/** The indices of the plots beside `plotIndex` in a field of `plotCount` plots, ascending. */
export function neighboursOf(plotIndex: number, plotCount: number): number[] {
  if (!Number.isInteger(plotCount) || plotCount < 0) throw new RangeError(`bad plot count ${plotCount}`);
  if (!Number.isInteger(plotIndex) || plotIndex < 0 || plotIndex >= plotCount) return [];
  const width = farmingCatalogue.gridWidth;
  const column = plotIndex % width;
  const candidates = [
    plotIndex - width,
    column > 0 ? plotIndex - 1 : -1,
    column < width - 1 ? plotIndex + 1 : -1,
    plotIndex + width,
  ];
  return candidates.filter((i) => i >= 0 && i < plotCount);
}

/** Whether two plots share an edge in the same field. */
export function areAdjacent(a: PlotId, b: PlotId): boolean {
  const pa = parsePlotId(a);
  const pb = parsePlotId(b);
  if (pa === null || pb === null || pa.field !== pb.field) return false;
  const width = farmingCatalogue.gridWidth;
  const [ra, ca, rb, cb] = [Math.floor(pa.index / width), pa.index % width, Math.floor(pb.index / width), pb.index % width];
  return Math.abs(ra - rb) + Math.abs(ca - cb) === 1;
}

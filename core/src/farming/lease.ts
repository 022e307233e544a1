import type { PlotId } from "./grid.ts";
import type { Planting, Seed } from "./planting.ts";

/**
 * What happens to a crop when its planter's right to use the land ends (a rental expires, or an owner
 * rents the land out with a crop in the ground). The rule, and why, in docs/farming-rules.md:
 *
 * - The crop belongs to its planter, never to whoever holds the land next.
 * - Ripe by the end (`readyAtMs <= leaseEndedAtMs`): the planter harvests it as of the end. The caller
 *   runs `harvest` with `nowMs = leaseEndedAtMs` and the planting's recorded seed, for the planter; the
 *   planter need not have been online at the end, and the outcome is the one it would have had then.
 * - Not ripe by the end: the crop withers and the planter gets its seed back (same crop and genes).
 *   The time is lost, the seed is not.
 * - Either way the plot is empty for the land's next user from the end of the lease.
 * - A planting made after the end is not the ended lease's (it belongs to the next user): unaffected.
 */
export type LeaseSettlement =
  | { outcome: "harvest_due"; plotId: PlotId; planterId: string; harvestAtMs: number }
  | { outcome: "withered"; plotId: PlotId; planterId: string; seedReturned: Seed }
  | { outcome: "unaffected"; plotId: PlotId };

/**
 * Settles a planting on land whose lease (the planter's use right) ended at game time `leaseEndedAtMs`.
 *
 * @example
 * const settled = settleExpiredLease(planting, leaseEndedAtMs);
 * if (settled.outcome === "withered") giveSeed(settled.planterId, settled.seedReturned);
 */
export function settleExpiredLease(planting: Planting, leaseEndedAtMs: number): LeaseSettlement {
  if (planting.plantedAtMs > leaseEndedAtMs) return { outcome: "unaffected", plotId: planting.plotId };
  if (planting.readyAtMs <= leaseEndedAtMs) {
    return { outcome: "harvest_due", plotId: planting.plotId, planterId: planting.planterId, harvestAtMs: leaseEndedAtMs };
  }
  return {
    outcome: "withered",
    plotId: planting.plotId,
    planterId: planting.planterId,
    seedReturned: { crop: planting.crop, genome: planting.genome },
  };
}

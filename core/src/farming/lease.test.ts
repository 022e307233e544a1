import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settleExpiredLease } from "./lease.ts";
import { flatGenome, plantingOn } from "./testing/arbitraries.ts";

const planting = plantingOn("land:4:2", flatGenome(9), { planterId: "renter", plantedAtMs: 1_000, readyAtMs: 10_000 });

describe("settleExpiredLease", () => {
  it("withers an unripe crop and gives its planter the seed back", () => {
    assert.deepEqual(settleExpiredLease(planting, 9_999), {
      outcome: "withered",
      plotId: "land:4:2",
      planterId: "renter",
      seedReturned: { crop: "wheat", genome: flatGenome(9) },
    });
  });

  it("lets the planter harvest a crop that was ripe by the end, as of the end", () => {
    assert.deepEqual(settleExpiredLease(planting, 10_000), { outcome: "harvest_due", plotId: "land:4:2", planterId: "renter", harvestAtMs: 10_000 });
    assert.deepEqual(settleExpiredLease(planting, 50_000), { outcome: "harvest_due", plotId: "land:4:2", planterId: "renter", harvestAtMs: 50_000 });
  });

  it("leaves alone a planting made after the lease ended (the next user's)", () => {
    assert.deepEqual(settleExpiredLease(planting, 999), { outcome: "unaffected", plotId: "land:4:2" });
  });

  it("counts the planting instant as under the lease", () => {
    assert.equal(settleExpiredLease(planting, 1_000).outcome, "withered");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plotsFor } from "./farm.ts";
import { plant } from "./planting.ts";
import { flatGenome, plantingOn } from "./testing/arbitraries.ts";

const [plot] = plotsFor({ starter: false, lands: [{ tokenId: 3n, plots: 1, fertility: 200, trait: 1 }] });
if (plot === undefined) throw new Error("fixture");

describe("plant", () => {
  it("puts a seed in an empty plot with its ready time fixed from the plot's soil", () => {
    const result = plant({ plot, seed: { crop: "wheat", genome: flatGenome(0) }, planterId: "bob", nowMs: 1_000, occupant: null });
    // 600 000 ms at fertility 200 in a Greenhouse: 600 000 × 0.5 × 0.75.
    assert.deepEqual(result, {
      ok: true,
      planting: { plotId: "land:3:0", crop: "wheat", genome: flatGenome(0), planterId: "bob", plantedAtMs: 1_000, readyAtMs: 226_000 },
    });
  });

  it("refuses an occupied plot, an unknown crop and a bad genome", () => {
    const seed = { crop: "wheat", genome: flatGenome(1) };
    assert.deepEqual(plant({ plot, seed, planterId: "bob", nowMs: 0, occupant: plantingOn("land:3:0") }), { ok: false, code: "PLOT_OCCUPIED" });
    assert.deepEqual(plant({ plot, seed: { ...seed, crop: "cactus" }, planterId: "bob", nowMs: 0, occupant: null }), { ok: false, code: "UNKNOWN_CROP" });
    assert.deepEqual(plant({ plot, seed: { ...seed, genome: flatGenome(99) }, planterId: "bob", nowMs: 0, occupant: null }), { ok: false, code: "INVALID_GENOME" });
  });
});

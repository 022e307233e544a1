import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { farmingCatalogue } from "./catalogue.ts";
import { growthTimeMs, isReady, readyAt } from "./growth.ts";
import { cropArb, fertilityArb, flatGenome, genomeArb, geneLevel, propertyRuns, traitArb } from "./testing/arbitraries.ts";

const zero = flatGenome(0);

describe("growthTimeMs", () => {
  it("is the crop's base time at fertility 100, vigor 0 and no trait", () => {
    assert.equal(growthTimeMs("wheat", zero, 100, "none"), 10 * 60_000);
    assert.equal(growthTimeMs("emberroot", zero, 100, "none"), 8 * 3_600_000);
  });

  it("halves at fertility 200, doubles at 50, as the land contract says", () => {
    assert.equal(growthTimeMs("pumpkin", zero, 200, "none"), 3_600_000);
    assert.equal(growthTimeMs("pumpkin", zero, 50, "none"), 4 * 3_600_000);
  });

  it("takes 3 % off a vigor point and a quarter off in a Greenhouse", () => {
    assert.equal(growthTimeMs("wheat", { ...zero, vigor: 10 }, 100, "none"), 420_000);
    assert.equal(growthTimeMs("wheat", zero, 100, "greenhouse"), 450_000);
  });

  it("never grows slower with more fertility or more vigor", () => {
    fc.assert(
      fc.property(cropArb, genomeArb, fertilityArb, fertilityArb, geneLevel, traitArb, (crop, genome, f1, f2, vigor2, trait) => {
        const [low, high] = f1 <= f2 ? [f1, f2] : [f2, f1];
        assert.ok(growthTimeMs(crop, genome, high, trait) <= growthTimeMs(crop, genome, low, trait));
        const [slow, fast] = genome.vigor <= vigor2 ? [genome.vigor, vigor2] : [vigor2, genome.vigor];
        assert.ok(growthTimeMs(crop, { ...genome, vigor: fast }, f1, trait) <= growthTimeMs(crop, { ...genome, vigor: slow }, f1, trait));
      }),
      propertyRuns,
    );
  });

  it("stays within 0.2 and 2 times the base time", () => {
    fc.assert(
      fc.property(cropArb, genomeArb, fertilityArb, traitArb, (crop, genome, fertility, trait) => {
        const base = farmingCatalogue.crops[crop].baseGrowthMs;
        const time = growthTimeMs(crop, genome, fertility, trait);
        assert.ok(Number.isInteger(time) && time >= base * 0.2 && time <= base * 2, `${time} vs ${base}`);
      }),
      propertyRuns,
    );
  });

  it("refuses fertility outside 50..200 (a caller's bug: the chain enforces the range)", () => {
    for (const fertility of [49, 201, 100.5, Number.NaN]) assert.throws(() => growthTimeMs("wheat", zero, fertility, "none"), RangeError);
  });
});

describe("readyAt and isReady", () => {
  it("is ready from the ready time on, by the server's clock", () => {
    const at = readyAt(1_000, "wheat", zero, 100, "none");
    assert.equal(at, 601_000);
    assert.equal(isReady({ readyAtMs: at }, at - 1), false);
    assert.equal(isReady({ readyAtMs: at }, at), true);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { farmingCatalogue } from "./catalogue.ts";
import { validateGenome } from "./genome.ts";
import { areAdjacent } from "./grid.ts";
import { harvest, pollinatorsOf, type HarvestParameters } from "./harvest.ts";
import { expectedYield, failureChance } from "./produce.ts";
import { deriveSeed } from "./random.ts";
import { cropArb, fertilityArb, flatGenome, genomeArb, plantingOn, propertyRuns, seedArb, traitArb } from "./testing/arbitraries.ts";

const base: HarvestParameters = {
  planting: plantingOn("land:1:5", flatGenome(5)),
  neighbours: [],
  seed: "harvest-fixture",
  fertility: 100,
  trait: "none",
  nowMs: 600_000,
};

/** Many harvests of one planting under seeds s0, s1, … */
function sample(params: Omit<HarvestParameters, "seed">, runs: number) {
  return Array.from({ length: runs }, (_, i) => {
    const result = harvest({ ...params, seed: `s${i}` });
    if (!result.ok) throw new Error(result.code);
    return result;
  });
}

describe("harvest", () => {
  it("refuses a crop that is not ready by the server's clock, saying when it will be", () => {
    assert.deepEqual(harvest({ ...base, nowMs: 599_999 }), { ok: false, code: "NOT_READY", readyAtMs: 600_000 });
  });

  it("refuses an unknown crop or a bad genome", () => {
    const bad = { ...base.planting, crop: "cactus" } as unknown as HarvestParameters["planting"];
    assert.deepEqual(harvest({ ...base, planting: bad }), { ok: false, code: "UNKNOWN_CROP" });
    assert.deepEqual(harvest({ ...base, planting: { ...base.planting, genome: flatGenome(16) } }), { ok: false, code: "INVALID_GENOME" });
  });

  it("replays a recorded harvest exactly (if this changes, every recorded outcome changes with it)", () => {
    const result = harvest({
      ...base,
      neighbours: [plantingOn("land:1:6", flatGenome(12))],
      seed: "golden-9",
      fertility: 150,
      trait: "orchard",
    });
    assert.deepEqual(result, {
      ok: true,
      resources: [{ kind: "grain", quantity: 13, quality: 2 }],
      seeds: [
        { crop: "wheat", genome: { vigor: 5, yield: 5, hue: 5, resilience: 5 }, pollinator: null },
        // vigor and hue from the neighbour, yield from the plant, resilience mutated by -2.
        { crop: "wheat", genome: { vigor: 12, yield: 5, hue: 12, resilience: 10 }, pollinator: "land:1:6" },
      ],
      failed: false,
      randomSeed: "golden-9",
    });
  });

  it("gives the same outcome for the same seed, and replays from its recorded randomSeed", () => {
    fc.assert(
      fc.property(cropArb, genomeArb, fertilityArb, traitArb, seedArb, genomeArb, (crop, genome, fertility, trait, seed, other) => {
        const planting = plantingOn("land:1:5", genome, { crop });
        const params = { ...base, planting, neighbours: [plantingOn("land:1:6", other, { crop })], fertility, trait, seed };
        const first = harvest(params);
        assert.deepEqual(harvest(params), first);
        assert.ok(first.ok);
        assert.deepEqual(harvest({ ...params, seed: first.randomSeed }), first);
      }),
      propertyRuns,
    );
  });

  it("always yields some produce of the crop's resource, graded 1..5, and at most two valid seeds", () => {
    fc.assert(
      fc.property(cropArb, genomeArb, fertilityArb, traitArb, seedArb, (crop, genome, fertility, trait, seed) => {
        const result = harvest({ ...base, planting: plantingOn("starter:0", genome, { crop }), fertility, trait, seed });
        assert.ok(result.ok);
        const [produce] = result.resources;
        assert.equal(result.resources.length, 1);
        assert.equal(produce?.kind, farmingCatalogue.crops[crop].resource);
        assert.ok(produce !== undefined && Number.isInteger(produce.quantity) && produce.quantity >= 1);
        assert.ok(produce.quality >= 1 && produce.quality <= 5);
        assert.ok(result.seeds.length <= 2);
        if (result.failed) assert.equal(result.seeds.length, 0);
        for (const s of result.seeds) assert.ok(s.crop === crop && validateGenome(s.genome).ok);
      }),
      propertyRuns,
    );
  });

  it("does not depend on the order the neighbours are passed in", () => {
    const neighbours = [1, 4, 6, 9].map((i) => plantingOn(`land:1:${i}`, flatGenome(i)));
    for (let i = 0; i < 50; i++) {
      const seed = `order-${i}`;
      assert.deepEqual(harvest({ ...base, neighbours, seed }), harvest({ ...base, neighbours: [...neighbours].reverse(), seed }));
    }
  });

  it("averages the expected yield (rounding at random keeps the mean)", () => {
    const params = { ...base, planting: plantingOn("starter:0", { ...flatGenome(15), yield: 7 }) };
    const runs = sample(params, 1_000).filter((r) => !r.failed);
    const mean = runs.reduce((sum, r) => sum + (r.resources[0]?.quantity ?? 0), 0) / runs.length;
    assert.ok(Math.abs(mean - expectedYield("wheat", params.planting.genome, 100, "none")) < 0.1, String(mean));
  });

  it("yields more in an Orchard and fails less on a Wellspring", () => {
    const total = (trait: HarvestParameters["trait"]) =>
      sample({ ...base, trait }, 400).reduce((sum, r) => sum + (r.resources[0]?.quantity ?? 0), 0);
    assert.ok(total("orchard") > total("none") * 1.15);
    const failures = (trait: HarvestParameters["trait"]) => sample({ ...base, planting: plantingOn("starter:0", flatGenome(0)), trait }, 1_500).filter((r) => r.failed).length;
    assert.ok(Math.abs(failures("none") / 1_500 - failureChance(flatGenome(0), "none")) < 0.03);
    assert.ok(failures("wellspring") < failures("none") * 0.7);
  });

  it("cross-pollinates only with adjacent plantings of the same crop (Gene Weaver)", () => {
    const neighbours = [
      plantingOn("land:1:6", flatGenome(15)),
      plantingOn("land:1:4", flatGenome(15), { crop: "pumpkin" }),
      plantingOn("land:1:7", flatGenome(15)),
      plantingOn("land:2:6", flatGenome(15)),
    ];
    const seeds = sample({ ...base, neighbours }, 600).flatMap((r) => r.seeds);
    const crossed = seeds.filter((s) => s.pollinator !== null);
    assert.ok(crossed.length > seeds.length * 0.35 && crossed.length < seeds.length * 0.65, `${crossed.length}/${seeds.length}`);
    assert.ok(crossed.every((s) => s.pollinator === "land:1:6"));
    assert.ok(crossed.some((s) => Object.values(s.genome).some((level) => level >= 13)), "some genes come from the neighbour");
    assert.ok(seeds.filter((s) => s.pollinator === null).every((s) => Object.values(s.genome).every((level) => level <= 7)));
  });

  it("gives back a seed about a third of the time", () => {
    const runs = sample(base, 1_000).filter((r) => !r.failed);
    const withSeed = runs.filter((r) => r.seeds.length > 0).length / runs.length;
    assert.ok(Math.abs(withSeed - farmingCatalogue.harvest.seedChance) < 0.05, String(withSeed));
  });
});

describe("pollinatorsOf", () => {
  it("keeps adjacent same-crop plantings in the ground by now, once each, sorted by plot id", () => {
    const planting = plantingOn("starter:1");
    const neighbours = [
      plantingOn("starter:2"),
      plantingOn("starter:0"),
      plantingOn("starter:0", flatGenome(9)),
      plantingOn("starter:1"),
      plantingOn("starter:3"),
      plantingOn("starter:5", flatGenome(5), { plantedAtMs: 700_000 }),
    ];
    const found = pollinatorsOf(planting, neighbours, 600_000);
    assert.deepEqual(found.map((p) => p.plotId), ["starter:0", "starter:2"]);
    assert.ok(found.every((p) => areAdjacent(p.plotId, planting.plotId)));
  });
});

describe("harvest seeds", () => {
  it("derive each roll from its own labelled seed", () => {
    assert.notEqual(deriveSeed(base.seed, "yield"), deriveSeed(base.seed, "quality"));
  });
});

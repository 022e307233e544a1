import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cropKinds, farmingCatalogue, isCropKind, isResourceKind, landTraitFromCode, landTraits, resourceKinds } from "./catalogue.ts";

describe("the farming catalogue", () => {
  it("gives every crop a resource the vendor prices", () => {
    for (const crop of cropKinds) assert.ok(isResourceKind(farmingCatalogue.crops[crop].resource), crop);
    const produced = new Set(cropKinds.map((crop) => farmingCatalogue.crops[crop].resource));
    assert.deepEqual([...produced].sort(), [...resourceKinds].sort());
  });

  it("numbers the land traits as HarvestLand.sol does (0 none .. 4 wellspring)", () => {
    assert.deepEqual(landTraits.map((t) => farmingCatalogue.traits[t].code), [0, 1, 2, 3, 4]);
    assert.equal(landTraitFromCode(1), "greenhouse");
    assert.equal(landTraitFromCode(2), "workshop");
    assert.equal(landTraitFromCode(3), "orchard");
    assert.equal(landTraitFromCode(4), "wellspring");
    assert.equal(landTraitFromCode(5), null);
  });

  it("grows crops in minutes to hours, the slower ones worth more per harvest", () => {
    for (const crop of cropKinds) {
      const { baseGrowthMs } = farmingCatalogue.crops[crop];
      assert.ok(baseGrowthMs >= 60_000 && baseGrowthMs <= 24 * 3_600_000, crop);
    }
    const worth = cropKinds.map((c) => farmingCatalogue.crops[c].baseYield * farmingCatalogue.resources[farmingCatalogue.crops[c].resource].basePrice);
    assert.deepEqual(worth, [...worth].sort((a, b) => a - b));
  });

  it("pays back a seed with one base harvest, so farming is never a loss at the base price", () => {
    for (const crop of cropKinds) {
      const { baseYield, resource, seedPrice } = farmingCatalogue.crops[crop];
      assert.ok(baseYield * farmingCatalogue.resources[resource].basePrice > seedPrice, crop);
    }
  });

  it("knows its own keys only", () => {
    assert.equal(isCropKind("wheat"), true);
    assert.equal(isCropKind("toString"), false);
    assert.equal(isCropKind(3), false);
  });
});

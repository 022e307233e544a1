import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { cropKinds, farmingCatalogue, resourceKinds } from "./catalogue.ts";
import { validateGenome } from "./genome.ts";
import { createRng } from "./random.ts";
import { propertyRuns, seedArb } from "./testing/arbitraries.ts";
import { buyPrice, rollVendorGenome, sellPrice, sellQuote } from "./vendor.ts";

const resourceArb = fc.constantFrom(...resourceKinds);
const supplyArb = fc.integer({ min: 0, max: 5_000 });
const qualityArb = fc.integer({ min: 1, max: 5 });

describe("sellPrice", () => {
  it("pays the base price with nothing sold, half after one liquidity's worth, a quarter at the floor", () => {
    assert.equal(sellPrice("grain", 0), 30);
    assert.equal(sellPrice("grain", 200), 15);
    assert.equal(sellPrice("grain", 400), 7);
    assert.equal(sellPrice("grain", 100_000), 7);
    assert.equal(sellPrice("ember", 20), 800);
  });

  it("pays 10 % of the base more a quality grade", () => {
    assert.equal(sellPrice("gourd", 0, 1), 350);
    assert.equal(sellPrice("gourd", 0, 5), 490);
  });

  it("is never negative nor zero, and never rises with supply", () => {
    fc.assert(
      fc.property(resourceArb, supplyArb, supplyArb, qualityArb, (kind, s1, s2, quality) => {
        const [less, more] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const cheap = sellPrice(kind, more, quality);
        assert.ok(Number.isInteger(cheap) && cheap >= 1);
        assert.ok(cheap <= sellPrice(kind, less, quality));
        assert.ok(sellPrice(kind, less, quality) <= farmingCatalogue.resources[kind].basePrice * 1.4);
      }),
      propertyRuns,
    );
  });

  it("refuses a negative or fractional supply and a quality outside 1..5", () => {
    assert.throws(() => sellPrice("grain", -1), RangeError);
    assert.throws(() => sellPrice("grain", 1.5), RangeError);
    assert.throws(() => sellPrice("grain", 0, 6), RangeError);
  });
});

describe("sellQuote", () => {
  it("prices each unit after the ones before it, so splitting a sale changes nothing", () => {
    fc.assert(
      fc.property(resourceArb, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), supplyArb, (kind, a, b, sold) => {
        assert.equal(sellQuote(kind, a + b, sold), sellQuote(kind, a, sold) + sellQuote(kind, b, sold + a));
        assert.ok(sellQuote(kind, a, sold) <= a * sellPrice(kind, sold));
      }),
      propertyRuns,
    );
  });

  it("is zero for nothing and refuses a sale too big to price", () => {
    assert.equal(sellQuote("grain", 0, 0), 0);
    assert.throws(() => sellQuote("grain", 100_001, 0), RangeError);
  });
});

describe("buyPrice", () => {
  it("asks the catalogue price with no recent demand, up to twice as much under a run", () => {
    for (const crop of cropKinds) assert.equal(buyPrice(crop), farmingCatalogue.crops[crop].seedPrice);
    assert.equal(buyPrice("wheat", 100), 60);
    assert.equal(buyPrice("wheat", 10_000), 80);
  });

  it("never falls as demand rises, and is positive", () => {
    fc.assert(
      fc.property(fc.constantFrom(...cropKinds), supplyArb, supplyArb, (crop, b1, b2) => {
        const [less, more] = b1 <= b2 ? [b1, b2] : [b2, b1];
        assert.ok(buyPrice(crop, less) >= 1 && buyPrice(crop, less) <= buyPrice(crop, more));
      }),
      propertyRuns,
    );
  });
});

describe("rollVendorGenome", () => {
  it("draws each gene in 3..7", () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const genome = rollVendorGenome(createRng(seed));
        assert.equal(validateGenome(genome).ok, true);
        for (const level of Object.values(genome)) assert.ok(level >= 3 && level <= 7);
      }),
      propertyRuns,
    );
  });
});

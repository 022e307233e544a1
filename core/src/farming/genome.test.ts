import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { crossGenomes, genomeHash, geneNames, validateGenome } from "./genome.ts";
import { createRng } from "./random.ts";
import { flatGenome, genomeArb, propertyRuns, seedArb } from "./testing/arbitraries.ts";

describe("validateGenome", () => {
  it("accepts the four genes in range", () => {
    assert.deepEqual(validateGenome({ vigor: 0, yield: 15, hue: 7, resilience: 3 }), {
      ok: true,
      genome: { vigor: 0, yield: 15, hue: 7, resilience: 3 },
    });
  });

  it("names the first bad gene: out of range, fractional, missing, or unknown", () => {
    assert.deepEqual(validateGenome({ vigor: 16, yield: 1, hue: 1, resilience: 1 }), { ok: false, code: "INVALID_GENOME", gene: "vigor" });
    assert.deepEqual(validateGenome({ vigor: 1, yield: 1.5, hue: 1, resilience: 1 }), { ok: false, code: "INVALID_GENOME", gene: "yield" });
    assert.deepEqual(validateGenome({ vigor: 1, yield: 1, hue: 1 }), { ok: false, code: "INVALID_GENOME", gene: "resilience" });
    assert.deepEqual(validateGenome({ ...flatGenome(1), colour: 2 }), { ok: false, code: "INVALID_GENOME", gene: "colour" });
    assert.deepEqual(validateGenome(null), { ok: false, code: "INVALID_GENOME", gene: "*" });
    assert.deepEqual(validateGenome({ vigor: -1, yield: 1, hue: 1, resilience: 1 }), { ok: false, code: "INVALID_GENOME", gene: "vigor" });
  });
});

describe("crossGenomes", () => {
  it("takes each gene from one parent when nothing mutates", () => {
    fc.assert(
      fc.property(genomeArb, genomeArb, seedArb, (a, b, seed) => {
        const child = crossGenomes(a, b, createRng(seed), 0);
        for (const gene of geneNames) assert.ok(child[gene] === a[gene] || child[gene] === b[gene], gene);
      }),
      propertyRuns,
    );
  });

  it("mutates by at most 2 and stays within 0..15", () => {
    fc.assert(
      fc.property(genomeArb, genomeArb, seedArb, (a, b, seed) => {
        const child = crossGenomes(a, b, createRng(seed), 1);
        assert.equal(validateGenome(child).ok, true);
        for (const gene of geneNames) {
          const near = Math.min(Math.abs(child[gene] - a[gene]), Math.abs(child[gene] - b[gene]));
          assert.ok(near <= 2, `${gene}: ${child[gene]} from ${a[gene]} and ${b[gene]}`);
        }
      }),
      propertyRuns,
    );
  });

  it("mutates with about the given rate", () => {
    const rng = createRng("mutation-rate");
    const parent = flatGenome(8);
    let changed = 0;
    for (let i = 0; i < 2_500; i++) {
      const child = crossGenomes(parent, parent, rng, 0.1);
      changed += geneNames.filter((g) => child[g] !== 8).length;
    }
    assert.ok(Math.abs(changed / 10_000 - 0.1) < 0.015, String(changed));
  });

  it("is the same child for the same seed", () => {
    fc.assert(
      fc.property(genomeArb, genomeArb, seedArb, (a, b, seed) => {
        assert.deepEqual(crossGenomes(a, b, createRng(seed), 0.3), crossGenomes(a, b, createRng(seed), 0.3));
      }),
      propertyRuns,
    );
  });
});

describe("genomeHash", () => {
  it("is equal for equal genes, whatever the key order, and differs otherwise", () => {
    const a = { vigor: 1, yield: 2, hue: 3, resilience: 4 };
    const b = { resilience: 4, hue: 3, yield: 2, vigor: 1 };
    assert.equal(genomeHash(a), genomeHash(b));
    assert.notEqual(genomeHash(a), genomeHash({ ...a, hue: 4 }));
    assert.match(genomeHash(a), /^0x[0-9a-f]{64}$/);
  });
});

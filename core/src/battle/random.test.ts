import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng, rngStateFromSeed } from "./random.ts";

const draws = (seed: string, n: number) => {
  const rng = createRng(rngStateFromSeed(seed));
  return Array.from({ length: n }, () => rng.nextUint32());
};

describe("the seeded generator", () => {
  it("gives the same numbers for the same seed", () => {
    assert.deepEqual(draws("battle-1", 20), draws("battle-1", 20));
  });

  it("gives different numbers for different seeds", () => {
    assert.notDeepEqual(draws("battle-1", 5), draws("battle-2", 5));
  });

  it("resumes exactly from a stored state", () => {
    const rng = createRng(rngStateFromSeed("resume"));
    rng.nextInt(10);
    const saved = JSON.parse(JSON.stringify(rng.state()));
    const resumed = createRng(saved);
    assert.deepEqual(Array.from({ length: 10 }, () => resumed.nextUint32()), Array.from({ length: 10 }, () => rng.nextUint32()));
  });

  it("keeps nextInt within bounds and roughly uniform", () => {
    const rng = createRng(rngStateFromSeed("uniform"));
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) {
      const x = rng.nextInt(6);
      assert.ok(x >= 0 && x < 6);
      counts[x] = (counts[x] ?? 0) + 1;
    }
    for (const count of counts) assert.ok(count > 9_500 && count < 10_500, `count ${count}`);
  });

  it("refuses a bound that is not a positive integer", () => {
    const rng = createRng(rngStateFromSeed("bounds"));
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 33]) assert.throws(() => rng.nextInt(bad), RangeError);
  });

  it("shuffles into a permutation without touching the input", () => {
    const rng = createRng(rngStateFromSeed("shuffle"));
    const items = Object.freeze(Array.from({ length: 30 }, (_, i) => i));
    const shuffled = rng.shuffle(items);
    assert.deepEqual([...shuffled].sort((x, y) => x - y), [...items]);
    assert.notDeepEqual(shuffled, [...items]);
  });
});

describe("the generator's known answers", () => {
  // Stored battles depend on these exact numbers: a change here breaks every replay.
  it("derives the same state and first numbers as rules version 1", () => {
    const rng = createRng(rngStateFromSeed("battle-1"));
    assert.deepEqual([rng.state(), rng.nextUint32(), rng.nextUint32()], KNOWN);
  });
});

const KNOWN = [[1957697193, 3569880503, 550180430, 1769505516], 3002115916, 1698608476];

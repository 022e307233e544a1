import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canMatch, matchWindow, matchWindowRules } from "./match-window.ts";
import type { Rating } from "./rate-match.ts";

const settled: Rating = { rating: 1500, rd: 60, vol: 0.06 };

describe("matchWindow", () => {
  it("starts at ±100 for a settled rating and widens by 50 every 5 s", () => {
    assert.deepEqual(matchWindow(settled, 0), { min: 1400, max: 1600 });
    assert.deepEqual(matchWindow(settled, 4_999), { min: 1400, max: 1600 });
    assert.deepEqual(matchWindow(settled, 12_000), { min: 1300, max: 1700 });
  });

  it("starts at ±RD for an uncertain rating", () => {
    assert.deepEqual(matchWindow({ rating: 1500, rd: 350, vol: 0.06 }, 0), { min: 1150, max: 1850 });
  });

  it("never shrinks as the wait grows, and stops at ±600", () => {
    let last = 0;
    for (let waited = 0; waited <= 120_000; waited += 1_000) {
      const w = matchWindow(settled, waited);
      assert.ok(w.max - w.min >= last);
      last = w.max - w.min;
    }
    assert.equal(last, 2 * matchWindowRules.maxHalfWidth);
  });

  it("counts a negative or unknown wait as no wait", () => {
    assert.deepEqual(matchWindow(settled, -5_000), matchWindow(settled, 0));
    assert.deepEqual(matchWindow(settled, Number.NaN), matchWindow(settled, 0));
  });
});

describe("canMatch", () => {
  it("pairs two players only when each lies in the other's window", () => {
    const far: Rating = { rating: 1750, rd: 60, vol: 0.06 };
    assert.equal(canMatch({ rating: settled, waitedMs: 30_000 }, { rating: far, waitedMs: 0 }), false);
    assert.equal(canMatch({ rating: settled, waitedMs: 30_000 }, { rating: far, waitedMs: 15_000 }), true);
    assert.equal(canMatch({ rating: far, waitedMs: 15_000 }, { rating: settled, waitedMs: 30_000 }), true);
  });
});

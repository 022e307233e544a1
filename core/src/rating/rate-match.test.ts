import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newRating, rateMatch, ratingRules, type Rating } from "./rate-match.ts";

const close = (actual: number, expected: number, tolerance = 0.05) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not about ${expected}`);

describe("rateMatch", () => {
  it("matches Glickman's formulas for one game (1500/200 beats 1400/30)", () => {
    // Worked by hand from the Glicko-2 paper's steps: E = 0.639, v = 4.37, phi' = 1.0096.
    const { a, b } = rateMatch({ a: { rating: 1500, rd: 200, vol: 0.06 }, b: { rating: 1400, rd: 30, vol: 0.06 }, result: "a" });
    close(a.rating, 1563.56);
    close(a.rd, 175.40);
    close(b.rating, 1398.14);
    assert.ok(a.vol > 0.0599 && a.vol < 0.0601);
  });

  it("moves the winner up and the loser down by the same amount between equals", () => {
    const { a, b } = rateMatch({ a: newRating(), b: newRating(), result: "b" });
    assert.ok(b.rating > 1500 && a.rating < 1500);
    close(b.rating - 1500, 1500 - a.rating, 1e-9);
  });

  it("leaves equal ratings in place on a draw, and the result is symmetric", () => {
    const { a, b } = rateMatch({ a: newRating(), b: newRating(), result: "draw" });
    close(a.rating, 1500, 1e-9);
    close(b.rating, 1500, 1e-9);
  });

  it("moves ratings more for an upset than for the expected result", () => {
    const strong: Rating = { rating: 1800, rd: 80, vol: 0.06 };
    const weak: Rating = { rating: 1400, rd: 80, vol: 0.06 };
    const expected = rateMatch({ a: strong, b: weak, result: "a" });
    const upset = rateMatch({ a: strong, b: weak, result: "b" });
    assert.ok(strong.rating - upset.a.rating > expected.a.rating - strong.rating);
  });

  it("grows more certain over the first games and keeps RD within 30..350", () => {
    let a = newRating();
    let b = newRating();
    const rds = [a.rd];
    for (let i = 0; i < 200; i++) {
      ({ a, b } = rateMatch({ a, b, result: i % 3 === 0 ? "draw" : i % 2 === 0 ? "a" : "b" }));
      rds.push(a.rd);
    }
    for (let i = 1; i <= 10; i++) assert.ok((rds[i] ?? 0) < (rds[i - 1] ?? 0), `game ${i}`);
    for (const rd of rds) assert.ok(rd >= ratingRules.minRd && rd <= ratingRules.maxRd);
  });

  it("takes a rating of 0 as 0, not as the default, and does not change its inputs", () => {
    const low = Object.freeze({ rating: 0, rd: 100, vol: 0.06 });
    const { a } = rateMatch({ a: low, b: Object.freeze(newRating()), result: "a" });
    assert.ok(a.rating > 0 && a.rating < 200);
  });

  it("refuses something that is not a rating", () => {
    assert.throws(() => rateMatch({ a: { rating: Number.NaN, rd: 50, vol: 0.06 }, b: newRating(), result: "a" }), RangeError);
    assert.throws(() => rateMatch({ a: { rating: 1500, rd: 0, vol: 0.06 }, b: newRating(), result: "a" }), RangeError);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { advanceGameClock, gameNowMs, rescaleGameClock, startGameClock } from "./game-clock.ts";

describe("the game clock", () => {
  it("runs with the wall clock at scale 1", () => {
    const clock = startGameClock(1_000);
    assert.equal(gameNowMs(clock, 1_000), 1_000);
    assert.equal(gameNowMs(clock, 61_000), 61_000);
  });

  it("runs timeScale times as fast", () => {
    const clock = startGameClock(0, 60);
    assert.equal(gameNowMs(clock, 1_000), 60_000);
  });

  it("moves forward on advance and keeps its pace afterwards", () => {
    const clock = advanceGameClock(startGameClock(0, 2), 1_000, 10_000);
    assert.equal(gameNowMs(clock, 1_000), 12_000);
    assert.equal(gameNowMs(clock, 2_000), 14_000);
  });

  it("refuses to run backwards", () => {
    assert.throws(() => advanceGameClock(startGameClock(0), 0, -1), RangeError);
  });

  it("changes pace without jumping", () => {
    const before = startGameClock(0, 1);
    const after = rescaleGameClock(before, 5_000, 10);
    assert.equal(gameNowMs(after, 5_000), gameNowMs(before, 5_000));
    assert.equal(gameNowMs(after, 6_000), 15_000);
  });

  it("refuses a zero, negative or absurd scale", () => {
    for (const scale of [0, -1, Number.NaN, 2_000_000]) assert.throws(() => startGameClock(0, scale), RangeError);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canPair, deckPowerHalfWidth, pairQueue, type QueueEntry } from "./pair-queue.ts";

const entry = (playerId: string, over: Partial<QueueEntry> = {}): QueueEntry => ({
  playerId,
  mode: "ranked",
  rating: { rating: 1500, rd: 50, vol: 0.06 },
  deckPower: 100,
  waitedMs: 0,
  ...over,
});
const rated = (playerId: string, rating: number, over: Partial<QueueEntry> = {}) => entry(playerId, { rating: { rating, rd: 50, vol: 0.06 }, ...over });

describe("canPair", () => {
  it("pairs two close players of one queue", () => {
    assert.equal(canPair(entry("a"), entry("b")), true);
  });

  it("never pairs across queues or a player with itself", () => {
    assert.equal(canPair(entry("a"), entry("b", { mode: "casual" })), false);
    assert.equal(canPair(entry("a"), entry("a")), false);
  });

  it("keeps ranked ratings apart until both have waited", () => {
    assert.equal(canPair(rated("a", 1500), rated("b", 1750)), false);
    assert.equal(canPair(rated("a", 1500, { waitedMs: 20_000 }), rated("b", 1750)), false, "the other has not agreed yet");
    assert.equal(canPair(rated("a", 1500, { waitedMs: 20_000 }), rated("b", 1750, { waitedMs: 20_000 })), true);
  });

  it("ignores ratings in casual play but not deck power", () => {
    assert.equal(canPair(rated("a", 1000, { mode: "casual" }), rated("b", 2000, { mode: "casual" })), true);
    assert.equal(canPair(entry("a", { mode: "casual", deckPower: 100 }), entry("b", { mode: "casual", deckPower: 130 })), false);
  });

  it("widens the deck power window with waiting, up to its cap", () => {
    assert.equal(deckPowerHalfWidth(0), 10);
    assert.equal(deckPowerHalfWidth(10_000), 20);
    assert.equal(deckPowerHalfWidth(10_000_000), 60);
    assert.equal(canPair(entry("a", { deckPower: 100, waitedMs: 30_000 }), entry("b", { deckPower: 130, waitedMs: 30_000 })), true);
  });
});

describe("pairQueue", () => {
  it("serves the longest-waiting player first, with its closest partner", () => {
    const pairs = pairQueue([rated("a", 1500), rated("b", 1540, { waitedMs: 9_000 }), rated("c", 1590), rated("d", 1545)]);
    assert.deepEqual(
      pairs.map(([x, y]) => [x.playerId, y.playerId]),
      [["b", "d"], ["a", "c"]],
    );
  });

  it("leaves a player alone when nobody fits its window", () => {
    assert.deepEqual(pairQueue([rated("a", 1000), rated("b", 2000)]), []);
  });

  it("never pairs a player twice and only pairs allowed partners (random queues)", () => {
    let state = 7;
    const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const queue = Array.from({ length: 1 + Math.floor(random() * 40) }, (_, i) =>
        entry(`p${i}`, {
          mode: random() < 0.5 ? "ranked" : "casual",
          rating: { rating: 1200 + random() * 600, rd: 30 + random() * 300, vol: 0.06 },
          deckPower: 80 + random() * 60,
          waitedMs: random() * 60_000,
        }),
      );
      const pairs = pairQueue(queue);
      const seen = new Set<string>();
      for (const [a, b] of pairs) {
        assert.equal(canPair(a, b), true);
        for (const id of [a.playerId, b.playerId]) {
          assert.equal(seen.has(id), false, `${id} paired twice`);
          seen.add(id);
        }
      }
      // Greedy may leave a pairable couple only if one of them found a closer partner: check none of
      // the unpaired could be paired with each other.
      const left = queue.filter((e) => !seen.has(e.playerId));
      for (const a of left) for (const b of left) assert.equal(canPair(a, b), false, `${a.playerId} and ${b.playerId} were both left`);
    }
  });
});

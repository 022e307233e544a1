import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchReward } from "@harvest/core/battle/match-rewards";
import { newRating, rateMatch } from "@harvest/core/rating/rate-match";
import { planSettlement, seasonOf, type EndedMatch } from "./settle-match.ts";

describe("planning a match's settlement", () => {
  const match = (overrides: Partial<EndedMatch> = {}): EndedMatch => ({
    battleId: "b-1",
    mode: "ranked",
    players: ["7", "9"],
    result: { winnerId: "9", reason: "concede" },
    seed: "seed-1",
    endedAt: new Date("2026-11-30T23:59:59Z"),
    ...overrides,
  });
  const veteran = { rating: 1612.5, rd: 80.25, vol: 0.06 };

  it("rates a ranked match from the ratings before, pays both players and lists the events in order", () => {
    const plan = planSettlement(match(), [veteran, newRating()]);
    const rated = rateMatch({ a: veteran, b: newRating(), result: "b" });
    assert.equal(plan.season, "2026-11");
    assert.deepEqual(plan.ratings, [
      { playerId: "7", after: rated.a, outcome: "loss" },
      { playerId: "9", after: rated.b, outcome: "win" },
    ]);
    const [loser, winner] = [matchReward(match().result, "7", "seed-1"), matchReward(match().result, "9", "seed-1")];
    assert.deepEqual(plan.settlement.players, {
      "7": { outcome: "loss", rating: { before: veteran, after: rated.a }, reward: { resources: loser.resources, seeds: 0 } },
      "9": { outcome: "win", rating: { before: newRating(), after: rated.b }, reward: { resources: winner.resources, seeds: winner.seeds.length } },
    });
    assert.deepEqual(plan.resources, [...loser.resources.map((r) => ({ playerId: "7", ...r })), ...winner.resources.map((r) => ({ playerId: "9", ...r }))]);
    assert.deepEqual(plan.seeds, winner.seeds.map((seed) => ({ playerId: "9", seed })));
    assert.ok(plan.seeds.length > 0, "a win pays a seed");
    assert.deepEqual(plan.events.map((e) => [e.type, e.aggregateId]), [
      ["farm.match_reward", "7"],
      ["farm.match_reward", "9"],
      ["battle.settled", "b-1"],
    ]);
    assert.deepEqual(plan.events[1]!.payload, { battleId: "b-1", outcome: "win", resources: winner.resources, seeds: winner.seeds, delta: { resources: winner.resources, seeds: winner.seeds.length } });
    assert.deepEqual(plan.events[2]!.payload, { battleId: "b-1", mode: "ranked", result: match().result, players: plan.settlement.players });
    assert.deepEqual(planSettlement(match(), [veteran, newRating()]), plan, "the same inputs plan the same writes");
  });

  it("rates a draw as one for both, from seat order", () => {
    const plan = planSettlement(match({ result: { winnerId: null, reason: "turn_cap" } }), [newRating(), veteran]);
    const rated = rateMatch({ a: newRating(), b: veteran, result: "draw" });
    assert.deepEqual(plan.ratings.map((r) => [r.playerId, r.outcome, r.after]), [
      ["7", "draw", rated.a],
      ["9", "draw", rated.b],
    ]);
  });

  it("pays a casual match without rating it, and refuses ratings that do not fit the mode", () => {
    const plan = planSettlement(match({ mode: "casual" }), null);
    assert.deepEqual(plan.ratings, []);
    assert.equal(plan.settlement.players["7"]!.rating, null);
    assert.equal(plan.settlement.players["9"]!.rating, null);
    assert.ok(plan.resources.length > 0);
    assert.equal(plan.events.length, 3);
    assert.throws(() => planSettlement(match(), null), RangeError);
    assert.throws(() => planSettlement(match({ mode: "casual" }), [veteran, veteran]), RangeError);
  });

  it("counts a match in the UTC month of its end", () => {
    assert.equal(seasonOf(new Date("2026-12-01T00:00:00Z")), "2026-12");
  });
});

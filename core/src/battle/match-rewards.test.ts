import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchReward, matchRewardRules } from "./match-rewards.ts";

describe("matchReward", () => {
  it("pays the winner more than the loser, and a draw in between", () => {
    const result = { winnerId: "7", reason: "hero_destroyed" as const };
    const grain = (playerId: string) => matchReward(result, playerId, "s").resources.find((r) => r.kind === "grain")?.quantity ?? 0;
    assert.equal(matchReward(result, "7", "s").outcome, "win");
    assert.equal(matchReward(result, "8", "s").outcome, "loss");
    assert.ok(grain("7") > grain("8"));
    const draw = matchReward({ winnerId: null, reason: "turn_cap" }, "7", "s");
    assert.equal(draw.outcome, "draw");
    assert.equal(draw.resources[0]?.quantity, matchRewardRules.draw.grain);
  });

  it("rolls the same seeds from the same recorded seed, and other seeds for another player", () => {
    const result = { winnerId: null, reason: "turn_cap" as const };
    assert.deepEqual(matchReward(result, "7", "battle-1"), matchReward(result, "7", "battle-1"));
    assert.notDeepEqual(matchReward(result, "7", "battle-1").seeds, matchReward(result, "8", "battle-1").seeds);
  });

  it("never pays a negative or empty stack", () => {
    for (const winnerId of ["7", "8", null]) {
      for (const stack of matchReward({ winnerId, reason: "concede" }, "7", "x").resources) assert.ok(stack.quantity > 0);
    }
  });
});

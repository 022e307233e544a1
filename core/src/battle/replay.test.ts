import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { replayBattle, hashState } from "./replay.ts";
import { stableStringify } from "./stable-json.ts";
import { randomDeck } from "./testing/decks.ts";
import { alice, battleParams, bob, newBattle } from "./testing/fixtures.ts";
import { playBotGame } from "./testing/play-bots.ts";

const params = battleParams({
  battleId: "replay-1",
  seed: "replay-seed",
  players: [{ playerId: alice, deck: randomDeck("a", "replay-a") }, { playerId: bob, deck: randomDeck("b", "replay-b", 30) }],
});

describe("replaying a battle", () => {
  it("rebuilds the final state of a whole battle from its parameters and accepted actions, same hash", () => {
    const game = playBotGame(params, "replay-bot");
    const replayed = replayBattle(params, JSON.parse(JSON.stringify(game.log)));
    assert.ok(replayed.ok);
    assert.equal(hashState(replayed.state), hashState(game.final));
    assert.deepEqual(replayed.state, game.final);
    assert.deepEqual(replayed.events, game.steps.flatMap((step) => step.events));
  });

  it("rebuilds every intermediate state from a prefix of the log", () => {
    const game = playBotGame(params, "replay-bot");
    for (const n of [0, 1, 7, Math.floor(game.log.length / 2)]) {
      const replayed = replayBattle(params, game.log.slice(0, n));
      assert.ok(replayed.ok);
      assert.equal(hashState(replayed.state), hashState(game.steps[n]?.state ?? game.final));
    }
  });

  it("reports a log entry the rules refuse as REPLAY_MISMATCH with its index", () => {
    const game = playBotGame(params, "replay-bot");
    const log = [...game.log.slice(0, 3), { action: { type: "end_turn" as const, playerId: "mallory" }, nowMs: game.log[2]?.nowMs ?? 0 }];
    const replayed = replayBattle(params, log);
    assert.equal(replayed.ok, false);
    if (!replayed.ok) assert.deepEqual([replayed.code, replayed.index], ["REPLAY_MISMATCH", 3]);
  });

  it("reports parameters that cannot start a battle with their own code and index -1", () => {
    const replayed = replayBattle(battleParams({ seed: "" }), []);
    assert.equal(replayed.ok, false);
    if (!replayed.ok) assert.deepEqual([replayed.code, replayed.index], ["INVALID_BATTLE", -1]);
  });

  it("hashes equal data equally whatever its key order, and different states differently", () => {
    const state = newBattle();
    const reordered = JSON.parse(stableStringify(state)) as typeof state;
    assert.equal(hashState(reordered), hashState(state));
    assert.notEqual(hashState(newBattle({ seed: "other" })), hashState(state));
    assert.match(hashState(state), /^0x[0-9a-f]{64}$/);
  });

  // Stored battles replay only under the rules they were played with. If these fail, the rules
  // (or the generator, or for the second one the bot) changed: bump rulesVersion, keep the old
  // engine for old battles, and update the hashes.
  it("starts a known battle exactly as rules version 1 did", () => {
    assert.equal(newBattle(params).rulesVersion, 1);
    assert.equal(hashState(newBattle(params)), "0x7f168a218a105fc152ac6611e731c16f458ed596f73454a1ce114b4c501c76d2");
  });

  it("plays a known bot battle to exactly the end it had under rules version 1", () => {
    const game = playBotGame(params, "replay-bot");
    assert.deepEqual([game.log.length, game.final.result], [109, { winnerId: alice, reason: "hero_destroyed" }]);
    assert.equal(hashState(game.final), "0xd09281ffde1bf5f2a48f95b88db0b370771213aa991d1db24e68df53e67b5143");
  });
});

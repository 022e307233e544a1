import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseBotAction } from "./bot.ts";
import { createRng, rngStateFromSeed } from "./random.ts";
import { battleRules } from "./rules.ts";
import { randomDeck } from "./testing/decks.ts";
import { alice, arranged, battleParams, bob, onBoard, unit } from "./testing/fixtures.ts";
import { playBotGame } from "./testing/play-bots.ts";
import { viewFor } from "./views.ts";

const rng = () => createRng(rngStateFromSeed("bot-test"));

describe("the practice bot", () => {
  it("finishes 200 seeded bot-vs-bot battles with a result within the turn cap, every action legal", () => {
    const reasons = new Map<string, number>();
    for (let game = 0; game < 200; game++) {
      const params = battleParams({
        battleId: `bot-${game}`,
        seed: `bot-seed-${game}`,
        players: [
          { playerId: alice, deck: randomDeck("a", `deck-a-${game}`, 20 + (game % 11)) },
          { playerId: bob, deck: randomDeck("b", `deck-b-${game}`, 30 - (game % 11)) },
        ],
      });
      const { final } = playBotGame(params, `bot-rng-${game}`);
      assert.ok(final.result !== null);
      assert.ok(final.turn <= battleRules.turnCap);
      reasons.set(final.result.reason, (reasons.get(final.result.reason) ?? 0) + 1);
    }
    // The bots attack, so most battles end by a hero falling rather than by the cap.
    assert.ok((reasons.get("hero_destroyed") ?? 0) > 150, JSON.stringify([...reasons]));
  });

  it("does nothing when it is not its turn or the battle is over", () => {
    const state = arranged();
    assert.equal(chooseBotAction(viewFor(state, bob), rng()), null);
    assert.equal(chooseBotAction(viewFor({ ...state, result: { winnerId: bob, reason: "concede" } }, alice), rng()), null);
  });

  it("takes a trade that kills without dying over hitting the hero", () => {
    const wolf = unit("wolf", { attack: 3, health: 4 });
    const rat = unit("rat", { attack: 1, health: 2 });
    const state = arranged({ hand: [], board: [onBoard(wolf)] }, { board: [onBoard(rat)] });
    assert.deepEqual(chooseBotAction(viewFor(state, alice), rng()), { type: "attack", playerId: alice, attackerId: "wolf", target: "rat" });
  });

  it("ends its turn when nothing is worth doing", () => {
    const state = arranged({ hand: [unit("ogre", { cost: 9 })], mana: 2, board: [] });
    assert.deepEqual(chooseBotAction(viewFor(state, alice), rng()), { type: "end_turn", playerId: alice });
  });
});

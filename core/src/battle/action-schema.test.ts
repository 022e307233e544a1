import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clientBattleActionSchema, toBattleAction } from "./action-schema.ts";

describe("the client action schema", () => {
  it("accepts the four player actions and adds the session's player id", () => {
    const messages = [{ type: "play_card", cardId: "c1" }, { type: "play_card", cardId: "c2", target: "hero" }, { type: "attack", attackerId: "u1", target: "u9" }, { type: "end_turn" }, { type: "concede" }];
    for (const message of messages) {
      const parsed = clientBattleActionSchema.parse(message);
      assert.deepEqual(toBattleAction(parsed, "alice"), { ...message, playerId: "alice" });
    }
  });

  it("refuses a timeout, a player id, unknown fields and empty ids from a client", () => {
    const bad = [{ type: "turn_timeout" }, { type: "end_turn", playerId: "bob" }, { type: "concede", extra: 1 }, { type: "play_card", cardId: "" }, { type: "attack", attackerId: "u1" }, "end_turn", null];
    for (const message of bad) assert.equal(clientBattleActionSchema.safeParse(message).success, false, JSON.stringify(message));
  });
});

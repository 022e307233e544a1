import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { CreateBattleParams } from "@harvest/core/battle/create-battle";
import { battleParams } from "@harvest/core/battle/testing/fixtures";
import { withTransaction } from "../pool.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { appendAction, countActiveBattles, createBattle, endBattle, findActionByClientSeq, loadBattle } from "./battle-store.ts";

describe("battle store", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase("battle_store");
  });
  after(async () => {
    await db?.drop();
  });

  async function newBattle(): Promise<CreateBattleParams> {
    const params = battleParams({ battleId: randomUUID() });
    await withTransaction(db.pool, (client) => createBattle(client, { mode: "practice", params, players: ["alice", "bob"] }));
    return params;
  }

  it("stores params and actions in order, and refuses a second action with the same seq or client seq", async () => {
    const params = await newBattle();
    const id = params.battleId;
    await withTransaction(db.pool, async (client) => {
      assert.equal(await appendAction(client, id, 1, "bob", null, { type: "end_turn", playerId: "bob" }, 2_000), true);
      assert.equal(await appendAction(client, id, 0, "alice", 7, { type: "end_turn", playerId: "alice" }, 1_500), true);
      assert.equal(await appendAction(client, id, 0, "alice", 8, { type: "concede", playerId: "alice" }, 1_600), false, "same seq");
      assert.equal(await appendAction(client, id, 2, "alice", 7, { type: "concede", playerId: "alice" }, 2_500), false, "same client seq");
    });
    const stored = await loadBattle(db.pool, id);
    assert.ok(stored);
    assert.deepEqual(stored.params, JSON.parse(JSON.stringify(params)));
    assert.deepEqual(stored.players, ["alice", "bob"]);
    assert.equal(stored.status, "active");
    assert.deepEqual(stored.actions.map((a) => [a.seq, a.playerId, a.clientSeq, a.action.type, a.nowMs]), [
      [0, "alice", 7, "end_turn", 1_500],
      [1, "bob", null, "end_turn", 2_000],
    ]);
    assert.equal((await findActionByClientSeq(db.pool, id, "alice", 7))?.seq, 0);
    assert.equal(await findActionByClientSeq(db.pool, id, "bob", 7), null);
    assert.equal(await loadBattle(db.pool, randomUUID()), null);
    assert.equal(await loadBattle(db.pool, "not-a-uuid"), null);
  });

  it("ends a battle once and counts a player's active battles", async () => {
    const params = await newBattle();
    assert.equal(await countActiveBattles(db.pool, "alice", "practice") >= 1, true);
    const before = await countActiveBattles(db.pool, "alice", "practice");
    const result = { winnerId: "bob", reason: "concede" } as const;
    assert.equal(await withTransaction(db.pool, (client) => endBattle(client, params.battleId, result, "0xabc")), true);
    assert.equal(await withTransaction(db.pool, (client) => endBattle(client, params.battleId, result, "0xdef")), false);
    const stored = await loadBattle(db.pool, params.battleId);
    assert.equal(stored?.status, "ended");
    assert.deepEqual(stored?.result, result);
    assert.equal(stored?.finalHash, "0xabc");
    assert.ok(stored?.endedAt instanceof Date);
    assert.equal(await countActiveBattles(db.pool, "alice", "practice"), before - 1);
  });
});

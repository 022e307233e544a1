import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { CreateBattleParams } from "@harvest/core/battle/create-battle";
import { battleParams } from "@harvest/core/battle/testing/fixtures";
import { withTransaction } from "../pool.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { listenChannel } from "../listen-channel.ts";
import { createActionAppender } from "./action-appender.ts";
import {
  appendAction,
  appendActionsWithEvents,
  BATTLE_MOVED_CHANNEL,
  countActiveBattles,
  createBattle,
  endBattle,
  findActionByClientSeq,
  loadBattle,
  parseBattleMoved,
} from "./battle-store.ts";

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

  it("stores many battles' actions in one statement, each with its outbox event, and answers each on its own", async () => {
    const [a, b, c] = [await newBattle(), await newBattle(), await newBattle()];
    assert.equal(await withTransaction(db.pool, (client) => appendAction(client, c.battleId, 0, "alice", 1, { type: "end_turn", playerId: "alice" }, 1_000)), true);
    const notices: string[] = [];
    const listener = await listenChannel(db.pool, BATTLE_MOVED_CHANNEL, (payload) => notices.push(payload));
    try {
      const stored = await appendActionsWithEvents(
        db.pool,
        [
          { battleId: a.battleId, seq: 0, playerId: "alice", clientSeq: 1, action: { type: "end_turn", playerId: "alice" }, nowMs: 1_000 },
          { battleId: c.battleId, seq: 0, playerId: "alice", clientSeq: 2, action: { type: "concede", playerId: "alice" }, nowMs: 1_100 },
          { battleId: b.battleId, seq: 0, playerId: null, clientSeq: null, action: { type: "turn_timeout", playerId: "alice" }, nowMs: 1_200 },
        ],
        "process-1",
      );
      assert.deepEqual(stored, [true, false, true], "c's seq 0 was stored before: only that one is refused");
      assert.deepEqual((await loadBattle(db.pool, c.battleId))?.actions.map((x) => x.action.type), ["end_turn"], "the refused one changed nothing");
      const events = await db.pool.query<{ aggregate_id: string; payload: { seq: number; action: { type: string }; nowMs: number } }>(
        `SELECT aggregate_id, payload FROM game.outbox WHERE type = 'battle.action_applied' AND aggregate_id = ANY($1) ORDER BY id`,
        [[a.battleId, b.battleId, c.battleId]],
      );
      assert.deepEqual(
        events.rows.map((row) => [row.aggregate_id, row.payload.seq, row.payload.action.type, row.payload.nowMs]).sort(),
        [
          [a.battleId, 0, "end_turn", 1_000],
          [b.battleId, 0, "turn_timeout", 1_200],
        ].sort(),
        "one event per stored action, none for the refused one",
      );
      assert.deepEqual(await appendActionsWithEvents(db.pool, [{ battleId: c.battleId, seq: 1, playerId: "alice", clientSeq: 1, action: { type: "concede", playerId: "alice" }, nowMs: 1_300 }], "process-1"), [false], "a used client seq is refused too");
      for (let i = 0; i < 50 && notices.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(notices.length, 1, "one notice for the statement, none for a statement that stored nothing");
      const notice = parseBattleMoved(notices[0]!);
      assert.equal(notice?.origin, "process-1");
      assert.deepEqual(notice?.moves.map((m) => `${m.battleId}:${m.seq}`).sort(), [`${a.battleId}:0`, `${b.battleId}:0`].sort());
    } finally {
      await listener.stop();
    }
  });

  it("group-commits the actions that arrive together, and a refused one fails nothing else", async () => {
    const battles = await Promise.all(Array.from({ length: 12 }, () => newBattle()));
    const appender = createActionAppender(db.pool, "process-2", { maxInFlight: 1 });
    const first = await Promise.all(battles.map((p) => appender.append({ battleId: p.battleId, seq: 0, playerId: "alice", clientSeq: 5, action: { type: "end_turn", playerId: "alice" }, nowMs: 2_000 })));
    assert.deepEqual(first, battles.map(() => true));
    const again = await Promise.all(
      battles.map((p, i) => appender.append({ battleId: p.battleId, seq: i % 2 === 0 ? 0 : 1, playerId: "bob", clientSeq: 6, action: { type: "end_turn", playerId: "bob" }, nowMs: 3_000 })),
    );
    assert.deepEqual(again, battles.map((_, i) => i % 2 === 1), "seq 0 again is refused, seq 1 stored, in the same statements");
    assert.equal(appender.pending(), 0);
    for (const [i, p] of battles.entries()) assert.equal((await loadBattle(db.pool, p.battleId))?.actions.length, i % 2 === 1 ? 2 : 1);
  });

  it("reads a battle notice, and refuses anything else", () => {
    assert.deepEqual(parseBattleMoved("p|b1:3,b2:0"), { origin: "p", moves: [{ battleId: "b1", seq: 3 }, { battleId: "b2", seq: 0 }] });
    assert.deepEqual(parseBattleMoved("b1:3:p"), { origin: "p", moves: [{ battleId: "b1", seq: 3 }] }, "a previous release's notice");
    for (const bad of ["", "b1:3", "b1:x:p", "|b1:3", "p|b1", "p|b1:x", "p|:3", "p|b1:", "p|b1:1.5"]) assert.equal(parseBattleMoved(bad), null, bad);
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { CreateBattleParams } from "@harvest/core/battle/create-battle";
import { battleParams } from "@harvest/core/battle/testing/fixtures";
import { withTransaction } from "../pool.ts";
import { endBattle } from "../matchmaking/end-match.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { listenChannel } from "../listen-channel.ts";
import { createActionAppender } from "./action-appender.ts";
import {
  appendActionsWithEvents,
  BATTLE_MOVED_CHANNEL,
  countActiveBattles,
  createBattle,
  findActionByClientSeq,
  loadBattle,
  parseBattleMoved,
  type ActionToAppend,
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

  const act = (battleId: string, seq: number, playerId: string | null, clientSeq: number | null, type: "end_turn" | "concede", nowMs: number): ActionToAppend => ({
    battleId,
    seq,
    playerId,
    clientSeq,
    action: { type, playerId: playerId ?? "bob" },
    nowMs,
  });

  it("stores params and actions in order, and refuses a second action with the same seq or client seq", async () => {
    const params = await newBattle();
    const id = params.battleId;
    assert.deepEqual(await appendActionsWithEvents(db.pool, [act(id, 1, "bob", null, "end_turn", 2_000)], "p"), [true]);
    assert.deepEqual(await appendActionsWithEvents(db.pool, [act(id, 0, "alice", 7, "end_turn", 1_500)], "p"), [true]);
    assert.deepEqual(await appendActionsWithEvents(db.pool, [act(id, 0, "alice", 8, "concede", 1_600)], "p"), [false], "same seq");
    assert.deepEqual(await appendActionsWithEvents(db.pool, [act(id, 2, "alice", 7, "concede", 2_500)], "p"), [false], "same client seq");
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

  it("stores the ending action with the battle's end and both events, once, and counts a player's active battles", async () => {
    const params = await newBattle();
    const id = params.battleId;
    const before = await countActiveBattles(db.pool, "alice", "practice");
    assert.ok(before >= 1);
    const result = { winnerId: "bob", reason: "concede" } as const;
    const end = { mode: "practice", players: ["alice", "bob"], result, finalHash: "0xabc" };
    assert.equal(await withTransaction(db.pool, (client) => endBattle(client, act(id, 0, "alice", 3, "concede", 1_000), end, null, "p")), true);
    assert.equal(await withTransaction(db.pool, (client) => endBattle(client, act(id, 0, "alice", 4, "concede", 1_100), { ...end, finalHash: "0xdef" }, null, "p")), false, "that seq is stored");
    const stored = await loadBattle(db.pool, id);
    assert.equal(stored?.status, "ended");
    assert.deepEqual(stored?.result, result);
    assert.equal(stored?.finalHash, "0xabc");
    assert.ok(stored?.endedAt instanceof Date);
    assert.deepEqual(stored?.actions.map((a) => [a.seq, a.clientSeq]), [[0, 3]]);
    const events = await db.pool.query<{ type: string; payload: Record<string, unknown> }>(`SELECT type, payload FROM game.outbox WHERE aggregate_id = $1 ORDER BY id`, [id]);
    assert.deepEqual(events.rows.map((row) => row.type), ["battle.action_applied", "battle.ended"]);
    assert.deepEqual(events.rows[1]!.payload, { battleId: id, mode: "practice", players: ["alice", "bob"], result, finalHash: "0xabc", actions: 1 });
    assert.equal(await countActiveBattles(db.pool, "alice", "practice"), before - 1);
  });

  it("stores many battles' actions in one statement, each with its outbox event, and answers each on its own", async () => {
    const [a, b, c] = [await newBattle(), await newBattle(), await newBattle()];
    assert.deepEqual(await appendActionsWithEvents(db.pool, [act(c.battleId, 0, "alice", 1, "end_turn", 1_000)], "process-0"), [true]);
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
          [c.battleId, 0, "end_turn", 1_000],
        ].sort(),
        "one event per stored action; c keeps the one of its earlier action and none for the refused concede",
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

  it("stores no action for a battle that does not exist or has ended", async () => {
    const [running, ended] = [await newBattle(), await newBattle()];
    const end = { mode: "practice", players: ["alice", "bob"], result: { winnerId: "bob", reason: "concede" } as const, finalHash: "0xabc" };
    assert.equal(await withTransaction(db.pool, (client) => endBattle(client, act(ended.battleId, 0, "alice", 1, "concede", 1_000), end, null, "p")), true);
    const unknown = randomUUID();
    const stored = await appendActionsWithEvents(db.pool, [act(unknown, 0, "alice", 1, "end_turn", 1_000), act(ended.battleId, 1, "bob", 1, "end_turn", 1_100), act(running.battleId, 0, "alice", 1, "end_turn", 1_200)], "p");
    assert.deepEqual(stored, [false, false, true]);
    assert.equal(await withTransaction(db.pool, (client) => endBattle(client, act(unknown, 0, "alice", 2, "concede", 1_300), end, null, "p")), false);
    assert.equal(await withTransaction(db.pool, (client) => endBattle(client, act(ended.battleId, 1, "bob", 2, "concede", 1_400), end, null, "p")), false);
    const rows = await db.pool.query<{ battle_id: string; seq: number }>(`SELECT battle_id::text, seq FROM game.battle_actions WHERE battle_id = ANY ($1::uuid[]) ORDER BY battle_id, seq`, [[unknown, ended.battleId]]);
    assert.deepEqual(rows.rows, [{ battle_id: ended.battleId, seq: 0 }], "only the ended battle's own last action");
    const events = await db.pool.query(`SELECT 1 FROM game.outbox WHERE aggregate_id = $1`, [unknown]);
    assert.equal(events.rowCount, 0, "no event either");
  });

  it("looks each action's battle up by its primary key, even after statistics that saw no battle running", async () => {
    // A database of its own, whose statistics were gathered while every battle had ended (a quiet
    // hour): as a join, the statement's plan then read the whole battles table for every batch.
    const quiet = await createTestDatabase("battle_store_plan");
    const client = await quiet.pool.connect();
    try {
      const ended = Array.from({ length: 300 }, () => battleParams({ battleId: randomUUID() }));
      for (const params of ended) await createBattle(client, { mode: "ranked", params, players: ["alice", "bob"] });
      await client.query(`UPDATE game.battles SET status = 'ended', ended_at = now()`);
      await client.query(`ANALYZE game.battles`);
      const running = battleParams({ battleId: randomUUID() });
      await createBattle(client, { mode: "ranked", params: running, players: ["alice", "bob"] });
      // The plan a pooled connection settles on after a few executions: the generic one.
      await client.query(`SET plan_cache_mode = force_generic_plan`);
      const stored = await appendActionsWithEvents(client, [act(running.battleId, 0, "alice", 1, "end_turn", 1_000), act(ended[0]!.battleId, 5, "bob", 1, "end_turn", 1_000)], "p");
      assert.deepEqual(stored, [true, false], "the running battle's action is stored, the ended one's is not");
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) EXECUTE "battle-append-actions"('[]'::jsonb, 'p', 0)`);
      const scans = planNodes(rows[0]!["QUERY PLAN"][0].Plan).filter((node) => node["Relation Name"] === "battles");
      assert.ok(scans.length > 0, "the statement reads game.battles");
      for (const scan of scans) assert.deepEqual([scan["Node Type"], scan["Index Name"]], ["Index Scan", "battles_pkey"]);
    } finally {
      client.release();
      await quiet.drop();
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

  it("stores another battle's action while a statement waits on a lock (two statements in flight)", async () => {
    const [stuck, free] = [await newBattle(), await newBattle()];
    const blocker = await db.pool.connect();
    try {
      // Another transaction holds stuck's seq 0 uncommitted: the appender's statement for it waits on that row.
      await blocker.query("BEGIN");
      await blocker.query(`INSERT INTO game.battle_actions (battle_id, seq, player_id, client_seq, action, now_ms) VALUES ($1, 0, 'alice', 1, '{"type":"end_turn","playerId":"alice"}', 2000)`, [stuck.battleId]);
      const appender = createActionAppender(db.pool, "process-3");
      let stuckSettled = false;
      const stuckAnswer = appender.append(act(stuck.battleId, 0, "alice", 7, "end_turn", 2_000)).finally(() => (stuckSettled = true));
      const freeAnswer = appender.append(act(free.battleId, 0, "alice", 8, "end_turn", 2_000));
      const waited = await Promise.race([freeAnswer, new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), 5_000).unref())]);
      assert.equal(waited, true, "the other battle's action committed meanwhile");
      assert.equal(stuckSettled, false, "the first statement is still waiting");
      await blocker.query("ROLLBACK");
      assert.equal(await stuckAnswer, true, "stored once the lock went");
    } finally {
      // A failed assertion above leaves the blocker's transaction open: end it before the client goes back.
      await blocker.query("ROLLBACK");
      blocker.release();
    }
    assert.equal((await loadBattle(db.pool, stuck.battleId))?.actions.length, 1);
  });

  it("reads a battle notice, and refuses anything else", () => {
    assert.deepEqual(parseBattleMoved("p|b1:3,b2:0"), { origin: "p", moves: [{ battleId: "b1", seq: 3 }, { battleId: "b2", seq: 0 }] });
    assert.deepEqual(parseBattleMoved("b1:3:p"), { origin: "p", moves: [{ battleId: "b1", seq: 3 }] }, "a previous release's notice");
    for (const bad of ["", "b1:3", "b1:x:p", "|b1:3", "p|b1", "p|b1:x", "p|:3", "p|b1:", "p|b1:1.5"]) assert.equal(parseBattleMoved(bad), null, bad);
  });
});

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };
const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];

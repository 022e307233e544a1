import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { battleParams } from "@harvest/core/battle/testing/fixtures";
import { listenChannel } from "../listen-channel.ts";
import { findOrCreatePlayer } from "../players/players.ts";
import { withTransaction } from "../pool.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { enterQueue, leaveQueue, slotStateOf } from "./player-slots.ts";
import { startMatches } from "./start-matches.ts";

describe("starting matches", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase("start_matches");
  });
  after(async () => {
    await db?.drop();
  });

  let players = 0;
  async function queued() {
    const { id } = await findOrCreatePlayer(db.pool, `0x${(0xa000 + ++players).toString(16).padStart(40, "0")}`);
    assert.ok(await enterQueue(db.pool, { playerId: id, mode: "ranked", deckId: randomUUID(), deckPower: 10, inviteCode: null }));
    return id;
  }

  it("stores each battle with its event, marks the queued slots named, and sends each notice at commit", async () => {
    const [a, b, c, d] = [await queued(), await queued(), await queued(), await queued()];
    const first = battleParams({ battleId: randomUUID() });
    const second = battleParams({ battleId: randomUUID() });
    const notices: string[] = [];
    const listener = await listenChannel(db.pool, "test_matches", (payload) => notices.push(payload));
    try {
      await withTransaction(db.pool, (client) =>
        startMatches(
          client,
          [
            { battleId: first.battleId, mode: "ranked", params: first, players: [a, b], notice: "first" },
            // Like an invite: only the host's slot is to be marked; d's own slot stays as it is.
            { battleId: second.battleId, mode: "private", params: second, players: [c, d], queued: [c], notice: "second" },
          ],
          "test_matches",
        ),
      );
      assert.deepEqual(await slotStateOf(db.pool, a), { state: "matched", mode: "ranked", battleId: first.battleId });
      assert.deepEqual(await slotStateOf(db.pool, b), { state: "matched", mode: "ranked", battleId: first.battleId });
      assert.deepEqual(await slotStateOf(db.pool, c), { state: "matched", mode: "ranked", battleId: second.battleId });
      assert.deepEqual(await slotStateOf(db.pool, d), { state: "queued", mode: "ranked", battleId: null }, "not named: untouched");
      const battles = await db.pool.query<{ id: string; mode: string; players: string[]; status: string }>(`SELECT id, mode, players, status FROM game.battles WHERE id = ANY ($1::uuid[]) ORDER BY mode`, [[first.battleId, second.battleId]]);
      assert.deepEqual(battles.rows, [
        { id: second.battleId, mode: "private", players: [c, d], status: "active" },
        { id: first.battleId, mode: "ranked", players: [a, b], status: "active" },
      ]);
      const events = await db.pool.query<{ aggregate_id: string; payload: unknown }>(`SELECT aggregate_id, payload FROM game.outbox WHERE type = 'battle.started' AND aggregate_id = ANY ($1) ORDER BY id`, [[first.battleId, second.battleId]]);
      assert.equal(events.rows.length, 2, "one event each");
      assert.deepEqual(new Map(events.rows.map((row) => [row.aggregate_id, row.payload])), new Map([
        [first.battleId, { battleId: first.battleId, mode: "ranked", players: [a, b] }],
        [second.battleId, { battleId: second.battleId, mode: "private", players: [c, d] }],
      ]));
      for (let i = 0; i < 50 && notices.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(notices.sort(), ["first", "second"]);
    } finally {
      await listener.stop();
      await leaveQueue(db.pool, d);
    }
  });
});

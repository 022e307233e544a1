import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { battleParams } from "@harvest/core/battle/testing/fixtures";
import { createBattle } from "../battles/battle-store.ts";
import { findOrCreatePlayer, setDisplayName } from "../players/players.ts";
import { withTransaction } from "../pool.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { battlePlayers, chatHistory, insertChatMessage, pruneChat, recentOpponents } from "./chat-store.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("chat store", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase("chat_store");
  });
  after(async () => {
    await db?.drop();
  });

  const newPlayer = async () => (await findOrCreatePlayer(db.pool, `0x${randomBytes(20).toString("hex")}`)).id;

  async function newBattle(players: string[], createdAt?: Date): Promise<string> {
    const battleId = randomUUID();
    await withTransaction(db.pool, (client) => createBattle(client, { mode: "casual", params: battleParams({ battleId }), players }));
    if (createdAt !== undefined) await db.pool.query(`UPDATE game.battles SET created_at = $2 WHERE id = $1`, [battleId, createdAt]);
    return battleId;
  }

  it("stores a message with its sender's name and returns history oldest first, paged by id", async () => {
    const alice = await newPlayer();
    await setDisplayName(db.pool, alice, `alice-${alice}`);
    const channel = `battle:${randomUUID()}`;
    const t = Date.UTC(2026, 10, 25, 12);
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await insertChatMessage(db.pool, { channel, playerId: alice, text: `m${i}`, sentAtMs: t + i }));
    assert.deepEqual(sent[0], { id: sent[0]!.id, channel, from: { playerId: alice, name: `alice-${alice}` }, text: "m0", sentAtMs: t });
    const last3 = await chatHistory(db.pool, channel, { sinceMs: 0, limit: 3 });
    assert.deepEqual(last3.map((m) => m.text), ["m2", "m3", "m4"]);
    const earlier = await chatHistory(db.pool, channel, { sinceMs: 0, limit: 3, beforeId: last3[0]!.id });
    assert.deepEqual(earlier.map((m) => m.text), ["m0", "m1"]);
    const recent = await chatHistory(db.pool, channel, { sinceMs: t + 3, limit: 50 });
    assert.deepEqual(recent.map((m) => m.text), ["m3", "m4"], "nothing sent before sinceMs");
    assert.deepEqual(await chatHistory(db.pool, "lobby-other", { sinceMs: 0, limit: 50 }), []);
  });

  it("refuses a row the rules would refuse: an unknown channel, empty or overlong text, an unknown player", async () => {
    const alice = await newPlayer();
    await assert.rejects(insertChatMessage(db.pool, { channel: "general", playerId: alice, text: "hi", sentAtMs: Date.now() }), /check constraint/);
    await assert.rejects(insertChatMessage(db.pool, { channel: "lobby", playerId: alice, text: "", sentAtMs: Date.now() }), /check constraint/);
    await assert.rejects(insertChatMessage(db.pool, { channel: "lobby", playerId: alice, text: "a".repeat(281), sentAtMs: Date.now() }), /check constraint/);
    assert.ok(await insertChatMessage(db.pool, { channel: "lobby", playerId: alice, text: "🌽".repeat(280), sentAtMs: Date.now() }));
    await assert.rejects(insertChatMessage(db.pool, { channel: "lobby", playerId: "999999999", text: "hi", sentAtMs: Date.now() }), /foreign key/);
  });

  it("prunes messages sent before the cutoff, in batches, and keeps the rest", async () => {
    const alice = await newPlayer();
    const channel = `battle:${randomUUID()}`;
    const t = Date.UTC(2026, 10, 25, 12);
    for (let i = 0; i < 7; i++) await insertChatMessage(db.pool, { channel, playerId: alice, text: `old${i}`, sentAtMs: t - 2 * DAY_MS + i });
    await insertChatMessage(db.pool, { channel, playerId: alice, text: "new", sentAtMs: t });
    assert.ok((await pruneChat(db.pool, t - DAY_MS, 3)) >= 7);
    assert.deepEqual((await chatHistory(db.pool, channel, { sinceMs: 0, limit: 50 })).map((m) => m.text), ["new"]);
    assert.equal(await pruneChat(db.pool, t - DAY_MS), 0);
  });

  it("knows a battle's players, and no players for an unknown battle", async () => {
    const [alice, bob] = [await newPlayer(), await newPlayer()];
    const battleId = await newBattle([alice, bob]);
    assert.deepEqual(await battlePlayers(db.pool, battleId), [alice, bob]);
    assert.equal(await battlePlayers(db.pool, randomUUID()), null);
  });

  it("finds recent opponents, most recent first, without the practice bot or old battles", async () => {
    const [alice, bob, carol, dave, erin] = [await newPlayer(), await newPlayer(), await newPlayer(), await newPlayer(), await newPlayer()];
    await setDisplayName(db.pool, carol, `carol-${carol}`);
    const now = Date.now();
    await newBattle([alice, bob], new Date(now - 2 * DAY_MS));
    await newBattle([carol, alice], new Date(now - DAY_MS));
    await newBattle([alice, "practice-bot"]);
    await newBattle([alice, dave], new Date(now - 30 * DAY_MS));
    await newBattle([bob, erin]);
    const found = await recentOpponents(db.pool, alice, { sinceMs: now - 7 * DAY_MS, limit: 10 });
    assert.deepEqual(found, [
      { playerId: carol, name: `carol-${carol}` },
      { playerId: bob, name: null },
    ]);
    assert.deepEqual(await recentOpponents(db.pool, alice, { sinceMs: now - 7 * DAY_MS, limit: 1 }), [{ playerId: carol, name: `carol-${carol}` }]);
    assert.deepEqual((await recentOpponents(db.pool, bob, { sinceMs: now - 7 * DAY_MS, limit: 10 })).map((o) => o.playerId).sort(), [alice, erin].sort());
  });
});

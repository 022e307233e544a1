import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, afterEach, before, describe, it } from "node:test";
import { battleParams } from "@harvest/core/battle/testing/fixtures";
import type { PlayerActivity } from "@harvest/core/chat/presence-status";
import { createLogger } from "@harvest/core/logging/logger";
import type { ChatClientMessage, ChatServerMessage } from "@harvest/core/protocol/chat-messages";
import { createBattle } from "@harvest/db/battles/battle-store";
import { findOrCreatePlayer, setDisplayName } from "@harvest/db/players/players";
import { withTransaction } from "@harvest/db/pool";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { createChatService, type ChatConnection, type ChatService, type ChatServiceOptions } from "./chat-service.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const logger = createLogger("chat-test", "silent");

/** A connection whose sink keeps what it receives, and can wait for a message. */
type TestConnection = ChatConnection & { received: ChatServerMessage[]; waitFor(predicate: (m: ChatServerMessage) => boolean, timeoutMs?: number): Promise<ChatServerMessage> };

function connection(playerId: string): TestConnection {
  const received: ChatServerMessage[] = [];
  return {
    playerId,
    sessionId: randomUUID(),
    received,
    send: (message) => void received.push(message),
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`player ${playerId}: no such message; got ${JSON.stringify(received)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

const chatMessages = (conn: TestConnection) => conn.received.filter((m) => m.type === "chat.message");
const errorsOf = (conn: TestConnection) => conn.received.filter((m) => m.type === "error").map((m) => m.type === "error" && [m.seq, m.code]);
const presenceChanges = (conn: TestConnection, playerId: string) => conn.received.flatMap((m) => (m.type === "presence.changed" && m.playerId === playerId ? [m.status] : []));

describe("chat service", () => {
  let db: TestDatabase;
  let clock = Date.UTC(2026, 10, 25, 12);
  const services: ChatService[] = [];
  before(async () => {
    db = await createTestDatabase("chat_service");
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.close()));
  });
  after(async () => {
    await db?.drop();
  });

  async function service(options: Partial<ChatServiceOptions> = {}): Promise<ChatService> {
    // Presence changes are told at once here unless a test asks for settling.
    const chat = createChatService({ pool: db.pool, logger, now: () => clock, presenceSettleMs: 0, ...options });
    services.push(chat);
    await chat.start();
    return chat;
  }

  const newPlayer = async () => (await findOrCreatePlayer(db.pool, `0x${randomBytes(20).toString("hex")}`)).id;

  async function newBattle(players: string[], createdAt = new Date()): Promise<string> {
    const battleId = randomUUID();
    await withTransaction(db.pool, async (client) => {
      await createBattle(client, { mode: "casual", params: battleParams({ battleId }), players });
      await client.query(`UPDATE game.battles SET created_at = $2 WHERE id = $1`, [battleId, createdAt]);
    });
    return battleId;
  }

  async function join(chat: ChatService, playerId: string): Promise<TestConnection> {
    const conn = connection(playerId);
    await chat.connected(conn);
    return conn;
  }

  const say = (chat: ChatService, conn: TestConnection, seq: number, channel: string, text: string) => chat.handle(conn, { type: "chat.send", seq, channel, text });
  const ask = (chat: ChatService, conn: TestConnection, message: ChatClientMessage) => chat.handle(conn, message);

  it("stores a lobby message, answers chat.sent, then broadcasts it to every connection (sender included)", async () => {
    const chat = await service();
    const [aliceId, bobId] = [await newPlayer(), await newPlayer()];
    await setDisplayName(db.pool, aliceId, `alice-${aliceId}`);
    const [alice, bob] = [await join(chat, aliceId), await join(chat, bobId)];
    await say(chat, alice, 1, "lobby", "  hello\nworld  ");
    const [sent, echoed] = alice.received.filter((m) => m.type.startsWith("chat."));
    assert.ok(sent?.type === "chat.sent");
    assert.deepEqual(sent, { type: "chat.sent", seq: 1, channel: "lobby", id: sent.id });
    const expected = { type: "chat.message", channel: "lobby", id: sent.id, from: { playerId: aliceId, name: `alice-${aliceId}` }, text: "hello world", sentAtMs: clock };
    assert.deepEqual(echoed, expected);
    assert.deepEqual(chatMessages(bob), [expected]);
    const { rows } = await db.pool.query(`SELECT channel, player_id::text, text FROM game.chat_messages WHERE id = $1`, [sent.id]);
    assert.deepEqual(rows, [{ channel: "lobby", player_id: aliceId, text: "hello world" }]);
  });

  it("returns history oldest first, the last ones of the channel, paged with `before`", async () => {
    const chat = await service({ historyLimit: 3 });
    const alice = await join(chat, await newPlayer());
    for (let i = 0; i < 5; i++) await say(chat, alice, i + 1, "lobby", `m${i}`);
    await ask(chat, alice, { type: "chat.history", seq: 10, channel: "lobby" });
    const page = alice.received.find((m) => m.type === "chat.history" && m.seq === 10);
    assert.ok(page?.type === "chat.history");
    assert.deepEqual(page.messages.map((m) => m.text), ["m2", "m3", "m4"]);
    assert.ok(BigInt(page.messages[0]!.id) < BigInt(page.messages[1]!.id));
    await ask(chat, alice, { type: "chat.history", seq: 11, channel: "lobby", before: page.messages[0]!.id });
    const earlier = alice.received.find((m) => m.type === "chat.history" && m.seq === 11);
    assert.deepEqual(earlier?.type === "chat.history" && earlier.messages.slice(-2).map((m) => m.text), ["m0", "m1"]);
  });

  it("refuses empty and overlong text and unknown channels with VALIDATION_FAILED, storing nothing", async () => {
    const chat = await service();
    const id = await newPlayer();
    const alice = await join(chat, id);
    await say(chat, alice, 1, "lobby", " \n\u0000 ");
    await say(chat, alice, 2, "lobby", "a".repeat(281));
    await say(chat, alice, 3, "general", "hi");
    await say(chat, alice, 4, "battle:42", "hi");
    await ask(chat, alice, { type: "chat.history", seq: 5, channel: "whisper:1" });
    await say(chat, alice, 6, "lobby", "a".repeat(280));
    assert.deepEqual(errorsOf(alice), [[1, "VALIDATION_FAILED"], [2, "VALIDATION_FAILED"], [3, "VALIDATION_FAILED"], [4, "VALIDATION_FAILED"], [5, "VALIDATION_FAILED"]]);
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM game.chat_messages WHERE player_id = $1`, [id]);
    assert.equal(rows[0]?.n, 1, "only the 280-character message");
  });

  it("limits a player to 5 messages in 10 s across its connections, and lets it talk again later", async () => {
    const chat = await service();
    const id = await newPlayer();
    const [phone, laptop, bob] = [await join(chat, id), await join(chat, id), await join(chat, await newPlayer())];
    for (let i = 1; i <= 3; i++) await say(chat, phone, i, "lobby", `burst ${i}`);
    clock += 1_000;
    for (let i = 4; i <= 5; i++) await say(chat, laptop, i, "lobby", `burst ${i}`);
    await say(chat, laptop, 6, "lobby", "one too many");
    assert.deepEqual(errorsOf(laptop), [[6, "RATE_LIMITED"]]);
    const refusal = laptop.received.find((m) => m.type === "error");
    assert.match(refusal?.type === "error" ? refusal.message : "", /wait 9 s/, "the first message leaves the window 9 s later");
    await say(chat, bob, 1, "lobby", "others may still talk");
    assert.deepEqual(errorsOf(bob), []);
    clock += 9_000;
    await say(chat, laptop, 7, "lobby", "back again");
    assert.deepEqual(errorsOf(laptop), [[6, "RATE_LIMITED"]]);
    assert.equal(chatMessages(bob).filter((m) => m.type === "chat.message" && m.from.playerId === id).length, 6);
  });

  it("keeps a battle's channel to its two players: a third player can neither send nor read", async () => {
    const chat = await service();
    const [aliceId, bobId, carolId] = [await newPlayer(), await newPlayer(), await newPlayer()];
    const battleId = await newBattle([aliceId, bobId]);
    const [alice, bob, carol] = [await join(chat, aliceId), await join(chat, bobId), await join(chat, carolId)];
    await say(chat, alice, 1, `battle:${battleId.toUpperCase()}`, "good luck");
    const message = await bob.waitFor((m) => m.type === "chat.message");
    assert.equal(message.type === "chat.message" && message.channel, `battle:${battleId}`);
    await say(chat, carol, 1, `battle:${battleId}`, "let me in");
    await ask(chat, carol, { type: "chat.history", seq: 2, channel: `battle:${battleId}` });
    await say(chat, carol, 3, `battle:${randomUUID()}`, "no such battle");
    assert.deepEqual(errorsOf(carol), [[1, "FORBIDDEN"], [2, "FORBIDDEN"], [3, "FORBIDDEN"]]);
    assert.deepEqual(chatMessages(carol), []);
    await ask(chat, bob, { type: "chat.history", seq: 2, channel: `battle:${battleId}` });
    const history = await bob.waitFor((m) => m.type === "chat.history");
    assert.deepEqual(history.type === "chat.history" && history.messages.map((m) => [m.from.playerId, m.text]), [[aliceId, "good luck"]]);
  });

  it("shows only messages within the retention, and the prune deletes older ones", async () => {
    const chat = await service({ retentionMs: 60_000 });
    const aliceId = await newPlayer();
    const channel = `battle:${await newBattle([aliceId, await newPlayer()])}`;
    const alice = await join(chat, aliceId);
    await say(chat, alice, 1, channel, "old news");
    clock += 61_000;
    await say(chat, alice, 2, channel, "fresh");
    await ask(chat, alice, { type: "chat.history", seq: 3, channel });
    const history = await alice.waitFor((m) => m.type === "chat.history");
    assert.deepEqual(history.type === "chat.history" && history.messages.map((m) => m.text), ["fresh"]);
    assert.ok((await chat.prune()) >= 1);
    const { rows } = await db.pool.query(`SELECT text FROM game.chat_messages WHERE channel = $1`, [channel]);
    assert.deepEqual(rows, [{ text: "fresh" }]);
  });

  it("shows the presence of recent opponents only, and tells them when it changes", async () => {
    const activity = new Map<string, PlayerActivity>();
    const chat = await service({ now: Date.now, statusOf: (id) => activity.get(id) ?? null });
    const [aliceId, bobId, carolId, daveId] = [await newPlayer(), await newPlayer(), await newPlayer(), await newPlayer()];
    await setDisplayName(db.pool, bobId, `bob-${bobId}`);
    await newBattle([aliceId, bobId], new Date(Date.now() - DAY_MS));
    await newBattle([carolId, aliceId]);
    await newBattle([aliceId, "practice-bot"]);
    await newBattle([aliceId, daveId], new Date(Date.now() - 30 * DAY_MS));
    activity.set(carolId, "in_queue");
    const carol = await join(chat, carolId);
    const alice = await join(chat, aliceId);
    await ask(chat, alice, { type: "presence.get", seq: 1 });
    const first = await alice.waitFor((m) => m.type === "presence");
    assert.deepEqual(first, { type: "presence", seq: 1, players: [{ playerId: carolId, name: null, status: "in_queue" }, { playerId: bobId, name: `bob-${bobId}`, status: "offline" }] });

    const bob = await join(chat, bobId);
    chat.setStatus(bobId, "in_match");
    chat.setStatus(bobId, null);
    await chat.connected(connection(daveId));
    chat.disconnected(bob);
    chat.disconnected(carol);
    assert.deepEqual(presenceChanges(alice, carolId), [], "still in a queue as far as matchmaking knows");
    activity.delete(carolId);
    chat.setStatus(carolId, null);
    assert.deepEqual(presenceChanges(alice, bobId), ["online", "in_match", "online", "offline"]);
    assert.deepEqual(presenceChanges(alice, carolId), ["offline"]);
    assert.deepEqual(presenceChanges(alice, daveId), [], "an opponent of 30 days ago is not watched");
    assert.deepEqual(presenceChanges(bob, aliceId), [], "bob connected after alice and never heard a change of hers");
  });

  it("tells a change of presence once it has settled, and a flap shorter than that not at all, here and on another instance", async () => {
    const settleMs = 300;
    // What matchmaking says of each player, as the game server keeps it.
    const activity = new Map<string, PlayerActivity>();
    const [a, b] = [await service({ now: Date.now, presenceSettleMs: settleMs, statusOf: (id) => activity.get(id) ?? null }), await service({ now: Date.now, presenceSettleMs: settleMs })];
    const setActivity = (playerId: string, status: PlayerActivity | null) => {
      if (status === null) activity.delete(playerId);
      else activity.set(playerId, status);
      a.setStatus(playerId, status);
    };
    const [aliceId, bobId, carolId] = [await newPlayer(), await newPlayer(), await newPlayer()];
    await newBattle([aliceId, bobId]);
    await newBattle([carolId, bobId]);
    const alice = await join(a, aliceId);
    const carol = await join(b, carolId);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    // Bob connects, queues, is matched: within the settle time, so his watchers hear the last status only.
    const started = Date.now();
    const bob = await join(a, bobId);
    setActivity(bobId, "in_queue");
    setActivity(bobId, "in_match");
    assert.deepEqual(presenceChanges(alice, bobId), [], "nothing before it settles");
    await alice.waitFor((m) => m.type === "presence.changed" && m.playerId === bobId);
    assert.ok(Date.now() - started >= settleMs - 20, "told once it settled");
    await carol.waitFor((m) => m.type === "presence.changed" && m.playerId === bobId);

    // The match ends and the next begins at once: a flap nobody is told of.
    setActivity(bobId, null);
    setActivity(bobId, "in_queue");
    setActivity(bobId, "in_match");
    // A dropped connection that comes back in time: no offline either.
    a.disconnected(bob);
    const back = await join(a, bobId);
    await sleep(settleMs * 3);
    assert.deepEqual(presenceChanges(alice, bobId), ["in_match"]);
    assert.deepEqual(presenceChanges(carol, bobId), ["in_match"], "the other instance heard only the settled status");

    // A lasting change is told once.
    setActivity(bobId, null);
    a.disconnected(back);
    await alice.waitFor((m) => m.type === "presence.changed" && m.playerId === bobId && m.status === "offline");
    await carol.waitFor((m) => m.type === "presence.changed" && m.playerId === bobId && m.status === "offline");
    assert.deepEqual(presenceChanges(alice, bobId), ["in_match", "offline"]);
    assert.deepEqual(presenceChanges(carol, bobId), ["in_match", "offline"]);
  });

  it("repeats a player who is settling to the other instances as last announced, not mid-flap", async () => {
    const settleMs = 1_500;
    const [a, b] = [await service({ now: Date.now, presenceSettleMs: settleMs }), await service({ now: Date.now, presenceSettleMs: settleMs })];
    const [aliceId, bobId] = [await newPlayer(), await newPlayer()];
    await newBattle([aliceId, bobId]);
    const alice = await join(b, aliceId);
    const bob = await join(a, bobId);
    // A third instance says hello while bob settles: every instance repeats its players to it.
    await service({ now: Date.now, presenceSettleMs: settleMs });
    await new Promise((resolve) => setTimeout(resolve, 300));
    a.disconnected(bob);
    await new Promise((resolve) => setTimeout(resolve, settleMs + 500));
    assert.equal(b.presenceOf(bobId), "offline", "the other instance never kept bob's brief online");
    assert.deepEqual(presenceChanges(alice, bobId), []);
  });

  it("delivers lobby and match messages and presence across two instances on one database", async () => {
    const [a, b] = [await service({ now: Date.now }), await service({ now: Date.now })];
    const [aliceId, bobId, carolId] = [await newPlayer(), await newPlayer(), await newPlayer()];
    const battleId = await newBattle([aliceId, bobId]);
    const alice = await join(a, aliceId);
    await ask(a, alice, { type: "presence.get", seq: 1 });
    const [bob, carol] = [await join(b, bobId), await join(b, carolId)];
    assert.equal(await alice.waitFor((m) => m.type === "presence.changed" && m.playerId === bobId).then((m) => m.type === "presence.changed" && m.status), "online");

    await say(a, alice, 2, `battle:${battleId}`, "gl hf");
    await say(a, alice, 3, "lobby", "hello from A");
    const lobby = await carol.waitFor((m) => m.type === "chat.message" && m.channel === "lobby");
    assert.equal(lobby.type === "chat.message" && lobby.text, "hello from A");
    assert.deepEqual(chatMessages(bob).map((m) => m.type === "chat.message" && [m.channel, m.text]), [[`battle:${battleId}`, "gl hf"], ["lobby", "hello from A"]]);
    assert.deepEqual(chatMessages(carol).map((m) => m.type === "chat.message" && m.text), ["hello from A"], "the battle message reached its players only");
    assert.equal(chatMessages(alice).length, 2, "the sender's instance delivered once, not again from its own NOTIFY");

    // A third instance starting late learns who is online from the others (hello → sync).
    const c = await service({ now: Date.now });
    const deadline = Date.now() + 5_000;
    while (c.presenceOf(bobId) !== "online" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(c.presenceOf(bobId), "online");

    b.setStatus(bobId, "in_match");
    await alice.waitFor((m) => m.type === "presence.changed" && m.status === "in_match");
    await b.close();
    await alice.waitFor((m) => m.type === "presence.changed" && m.status === "offline");
    assert.deepEqual(presenceChanges(alice, bobId), ["online", "in_match", "offline"]);
  });
});

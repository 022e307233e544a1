import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { findOrCreatePlayer } from "../players/players.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { CHAT_NOTIFY_CHANNEL, listenForChat, parseChatNotification, publishChatNotifications, type ChatNotification } from "./chat-bus.ts";
import { insertChatMessage } from "./chat-store.ts";

/** Collects notifications and waits for one. */
function collector() {
  const received: ChatNotification[] = [];
  return {
    received,
    onNotification: (notification: ChatNotification) => received.push(notification),
    async waitFor(predicate: (n: ChatNotification) => boolean, timeoutMs = 5_000): Promise<ChatNotification> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no such notification; got ${JSON.stringify(received)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

describe("chat bus", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase("chat_bus");
  });
  after(async () => {
    await db?.drop();
  });

  it("announces a stored message in the inserting statement, with its recipients", async () => {
    const alice = (await findOrCreatePlayer(db.pool, `0x${randomBytes(20).toString("hex")}`)).id;
    const inbox = collector();
    const listener = listenForChat({ connectionString: db.url, onNotification: inbox.onNotification });
    try {
      await listener.ready;
      assert.equal(listener.isListening(), true);
      const stored = await insertChatMessage(db.pool, { channel: "lobby", playerId: alice, text: "hello", sentAtMs: 1_795_000_000_123 }, { notifyChannel: CHAT_NOTIFY_CHANNEL, origin: "instance-a", recipients: null });
      const heard = await inbox.waitFor((n) => n.kind === "message");
      assert.deepEqual(heard, { kind: "message", origin: "instance-a", recipients: null, message: stored });
      const match = await insertChatMessage(db.pool, { channel: "battle:5b0c2c9e-1d2f-4a3b-8c4d-5e6f7a8b9c0d", playerId: alice, text: "gl", sentAtMs: 1_795_000_000_456 }, { notifyChannel: CHAT_NOTIFY_CHANNEL, origin: "instance-a", recipients: [alice, "9"] });
      assert.deepEqual(await inbox.waitFor((n) => n.kind === "message" && n.message.id === match.id), { kind: "message", origin: "instance-a", recipients: [alice, "9"], message: match });
      await insertChatMessage(db.pool, { channel: "lobby", playerId: alice, text: "quiet", sentAtMs: 1 });
      await publishChatNotifications(db.pool, [{ kind: "bye", origin: "instance-b" }]);
      await inbox.waitFor((n) => n.kind === "bye");
      assert.equal(inbox.received.filter((n) => n.kind === "message").length, 2, "no announcement without `announce`");
    } finally {
      await listener.stop();
    }
  });

  it("passes presence notifications and ignores payloads it does not understand", async () => {
    const inbox = collector();
    const listener = listenForChat({ connectionString: db.url, onNotification: inbox.onNotification });
    try {
      await listener.ready;
      await db.pool.query(`SELECT pg_notify($1, $2)`, [CHAT_NOTIFY_CHANNEL, "not json"]);
      await db.pool.query(`SELECT pg_notify($1, $2)`, [CHAT_NOTIFY_CHANNEL, JSON.stringify({ kind: "presence", origin: "x", n: 1, playerId: "7", status: "away" })]);
      await publishChatNotifications(db.pool, [{ kind: "presence", origin: "x", n: 2, playerId: "7", status: "in_match" }]);
      assert.deepEqual(await inbox.waitFor((n) => n.kind === "presence"), { kind: "presence", origin: "x", n: 2, playerId: "7", status: "in_match" });
      assert.equal(inbox.received.length, 1);
    } finally {
      await listener.stop();
    }
  });

  it("sends many notifications in one statement, in order", async () => {
    const inbox = collector();
    const listener = listenForChat({ connectionString: db.url, onNotification: inbox.onNotification });
    try {
      await listener.ready;
      const sent: ChatNotification[] = Array.from({ length: 30 }, (_, i) => ({ kind: "presence", origin: "batch", n: i + 1, playerId: String(100 + (i % 3)), status: i % 2 === 0 ? "in_queue" : "in_match" }));
      await publishChatNotifications(db.pool, sent);
      await inbox.waitFor((n) => n.kind === "presence" && n.n === 30);
      assert.deepEqual(inbox.received.filter((n) => n.origin === "batch"), sent);
    } finally {
      await listener.stop();
    }
  });

  it("reconnects after its connection is killed", async () => {
    const inbox = collector();
    const listener = listenForChat({ connectionString: db.url, onNotification: inbox.onNotification, onError: () => {}, reconnectDelayMs: 50 });
    try {
      await listener.ready;
      await db.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'harvest-chat' AND datname = current_database()`);
      const deadline = Date.now() + 5_000;
      // Keep publishing until the new connection hears one.
      for (let n = 1; !inbox.received.some((r) => r.kind === "hello"); n++) {
        if (Date.now() > deadline) throw new Error("the listener did not come back");
        await publishChatNotifications(db.pool, [{ kind: "hello", origin: `probe-${n}` }]);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await listener.stop();
    }
  });

  it("parses only well-formed notifications", () => {
    assert.deepEqual(parseChatNotification(JSON.stringify({ kind: "sync", origin: "a", n: 3, entries: [["1", "online"]] })), { kind: "sync", origin: "a", n: 3, entries: [["1", "online"]] });
    assert.equal(parseChatNotification("{"), null);
    assert.equal(parseChatNotification(JSON.stringify({ kind: "message", origin: "a", recipients: null })), null);
  });
});

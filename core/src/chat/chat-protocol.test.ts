import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { chatClientMessageSchema, chatClientMessageSchemas, isChatClientMessage } from "../protocol/chat-messages.ts";

describe("chat protocol schemas", () => {
  it("merge into a socket server's discriminated union", () => {
    const merged = z.discriminatedUnion("type", [z.object({ type: z.literal("ping"), seq: z.number() }).strict(), ...chatClientMessageSchemas]);
    const parsed = merged.parse({ type: "chat.send", seq: 1, channel: "lobby", text: "hi" });
    assert.ok(isChatClientMessage(parsed));
    assert.equal(isChatClientMessage(merged.parse({ type: "ping", seq: 2 })), false);
  });

  it("accept the three client messages", () => {
    for (const message of [
      { type: "chat.send", seq: 1, channel: "lobby", text: "hello" },
      { type: "chat.history", seq: 2, channel: "battle:5b0c2c9e-1d2f-4a3b-8c4d-5e6f7a8b9c0d" },
      { type: "chat.history", seq: 3, channel: "lobby", before: "1234" },
      { type: "presence.get", seq: 4 },
    ]) {
      assert.deepEqual(chatClientMessageSchema.parse(message), message);
    }
  });

  it("refuse extra fields, a client-named sender, bad ids and oversized text", () => {
    for (const message of [
      { type: "chat.send", seq: 1, channel: "lobby", text: "hi", playerId: "7" },
      { type: "chat.send", seq: 1, channel: "lobby" },
      { type: "chat.send", seq: 1, channel: "lobby", text: "a".repeat(2_001) },
      { type: "chat.history", seq: 2, channel: "lobby", before: "0" },
      { type: "chat.history", seq: 2, channel: "lobby", before: 12 },
      { type: "presence.get" },
    ]) {
      assert.equal(chatClientMessageSchema.safeParse(message).success, false, JSON.stringify(message));
    }
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { channelName, parseChannel } from "./chat-channel.ts";

describe("chat channels", () => {
  it("parses the lobby", () => {
    assert.deepEqual(parseChannel("lobby"), { ok: true, channel: { kind: "lobby" }, name: "lobby" });
  });

  it("parses a battle channel and lower-cases its id", () => {
    const id = "5B0C2C9E-1D2F-4A3B-8C4D-5E6F7A8B9C0D";
    assert.deepEqual(parseChannel(`battle:${id}`), { ok: true, channel: { kind: "battle", battleId: id.toLowerCase() }, name: `battle:${id.toLowerCase()}` });
  });

  it("refuses anything else", () => {
    for (const raw of ["", "Lobby", " lobby", "battle:", "battle:42", "battle:5b0c2c9e-1d2f-4a3b-8c4d-5e6f7a8b9c0d ", "match:5b0c2c9e-1d2f-4a3b-8c4d-5e6f7a8b9c0d", "whisper:42"]) {
      const result = parseChannel(raw);
      assert.equal(result.ok, false, raw);
      assert.equal(!result.ok && result.code, "VALIDATION_FAILED");
    }
  });

  it("names a channel the way it parses", () => {
    assert.equal(channelName({ kind: "lobby" }), "lobby");
    const battle = { kind: "battle", battleId: "5b0c2c9e-1d2f-4a3b-8c4d-5e6f7a8b9c0d" } as const;
    assert.deepEqual(parseChannel(channelName(battle)), { ok: true, channel: battle, name: channelName(battle) });
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeChatText } from "./chat-text.ts";

describe("chat text", () => {
  it("trims and keeps ordinary text, emoji sequences included", () => {
    assert.deepEqual(normalizeChatText("  gg wp 👩‍🌾  "), { ok: true, text: "gg wp 👩‍🌾" });
  });

  it("turns line breaks and tabs into spaces and removes other control characters", () => {
    assert.deepEqual(normalizeChatText("line one\r\nline\ttwo\u0000\u0007\u001b[31m\u007f\u009b"), { ok: true, text: "line one line two[31m" });
  });

  it("removes bidirectional overrides that could disguise a message", () => {
    assert.deepEqual(normalizeChatText("abc\u202Edef\u2066g\u2069"), { ok: true, text: "abcdefg" });
  });

  it("replaces lone surrogates and composes to NFC", () => {
    assert.deepEqual(normalizeChatText("e\u0301 \uD800"), { ok: true, text: "\u00e9 \uFFFD" });
  });

  it("refuses a message that is empty after normalisation", () => {
    for (const raw of ["", "   ", "\n\t", "\u0000\u202E"]) {
      const result = normalizeChatText(raw);
      assert.equal(result.ok, false, JSON.stringify(raw));
      assert.equal(!result.ok && result.code, "VALIDATION_FAILED");
    }
  });

  it("allows 280 code points and refuses 281, counting an astral character once", () => {
    assert.equal(normalizeChatText("a".repeat(280)).ok, true);
    assert.equal(normalizeChatText("🌽".repeat(280)).ok, true, "560 UTF-16 units, 280 characters");
    const refused = normalizeChatText("a".repeat(281));
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.message : "", /281 characters; at most 280/);
  });

  it("measures the length after trimming", () => {
    assert.equal(normalizeChatText(` ${"a".repeat(280)} `).ok, true);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPresenceBook } from "./presence-book.ts";

describe("the presence book", () => {
  it("reports a change of this instance's view once", () => {
    const book = createPresenceBook({ staleAfterMs: 1_000 });
    assert.deepEqual(book.setLocal("7", "online"), [{ playerId: "7", status: "online" }]);
    assert.equal(book.setLocal("7", "online"), null);
    assert.deepEqual(book.setLocal("7", "in_queue"), [{ playerId: "7", status: "in_queue" }]);
    assert.deepEqual(book.localEntries(), [["7", "in_queue"]]);
    assert.deepEqual(book.setLocal("7", "offline"), [{ playerId: "7", status: "offline" }]);
    assert.deepEqual(book.localEntries(), []);
  });

  it("shows the strongest view of all instances and reports only real changes", () => {
    const book = createPresenceBook({ staleAfterMs: 1_000 });
    book.setLocal("7", "online");
    assert.deepEqual(book.applyRemote("b", 1, [["7", "in_match"]], 0), [{ playerId: "7", status: "in_match" }]);
    assert.deepEqual(book.setLocal("7", "offline"), [], "another instance still sees the match");
    assert.equal(book.statusOf("7"), "in_match");
  });

  it("ignores a remote view older than one already applied", () => {
    const book = createPresenceBook({ staleAfterMs: 1_000 });
    book.applyRemote("b", 5, [["7", "offline"]], 0);
    assert.deepEqual(book.applyRemote("b", 4, [["7", "online"]], 0), []);
    assert.equal(book.statusOf("7"), "offline");
  });

  it("forgets an instance that said goodbye and views not refreshed in time", () => {
    const book = createPresenceBook({ staleAfterMs: 1_000 });
    book.applyRemote("b", 1, [["7", "online"], ["8", "in_queue"]], 0);
    book.applyRemote("c", 1, [["9", "online"]], 0);
    assert.deepEqual(book.forgetOrigin("b"), [{ playerId: "7", status: "offline" }, { playerId: "8", status: "offline" }]);
    assert.deepEqual(book.expire(1_000), []);
    book.applyRemote("c", 2, [["9", "online"]], 500);
    assert.deepEqual(book.expire(1_400), []);
    assert.deepEqual(book.expire(1_501), [{ playerId: "9", status: "offline" }]);
  });
});

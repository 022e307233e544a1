import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isPresenceStatus, strongestStatus } from "./presence-status.ts";

describe("presence status", () => {
  it("is offline without any view", () => {
    assert.equal(strongestStatus([]), "offline");
  });

  it("takes the most engaged view", () => {
    assert.equal(strongestStatus(["online", "in_match", "in_queue"]), "in_match");
    assert.equal(strongestStatus(["offline", "online"]), "online");
    assert.equal(strongestStatus(["in_queue", "online"]), "in_queue");
  });

  it("recognises the four statuses only", () => {
    assert.deepEqual(["offline", "online", "in_queue", "in_match", "away", 1, null].map(isPresenceStatus), [true, true, true, true, false, false, false]);
  });
});

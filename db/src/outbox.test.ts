import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { appendEvents, type DomainEvent } from "./outbox.ts";
import { withTransaction } from "./pool.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";

const harvested = (farm: string, crop: string): DomainEvent => ({
  aggregateType: "farm",
  aggregateId: farm,
  type: "crop.harvested",
  payload: { crop, amount: 3, note: "ünïcode ✓" },
});

describe("appendEvents", () => {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase("outbox");
  });
  after(() => db.drop());
  beforeEach(() => db.pool.query("TRUNCATE game.outbox"));

  it("inserts the events in the caller's transaction and returns their event ids in order", async () => {
    const ids = await withTransaction(db.pool, (client) => appendEvents(client, [harvested("f1", "wheat"), harvested("f2", "corn")]));
    const { rows } = await db.pool.query("SELECT event_id, aggregate_id, type, payload, published_at, attempts FROM game.outbox ORDER BY id");
    assert.deepEqual(rows.map((row) => row.event_id), ids);
    assert.deepEqual(rows.map((row) => row.aggregate_id), ["f1", "f2"]);
    assert.deepEqual(rows[0]?.payload, { crop: "wheat", amount: 3, note: "ünïcode ✓" });
    assert.equal(rows[0]?.published_at, null);
    assert.equal(rows[0]?.attempts, 0);
  });

  it("writes nothing when the caller's transaction rolls back", async () => {
    await assert.rejects(
      withTransaction(db.pool, async (client) => {
        await appendEvents(client, [harvested("f1", "wheat")]);
        throw new Error("the state change failed");
      }),
    );
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM game.outbox");
    assert.equal(rows[0]?.n, 0);
  });

  it("keeps input order for a large batch in one statement", async () => {
    const events = Array.from({ length: 500 }, (_, i) => harvested(`f${i}`, "wheat"));
    const ids = await withTransaction(db.pool, (client) => appendEvents(client, events));
    const { rows } = await db.pool.query("SELECT event_id, aggregate_id FROM game.outbox ORDER BY id");
    assert.deepEqual(rows.map((row) => row.event_id), ids);
    assert.deepEqual(rows.map((row) => row.aggregate_id), events.map((event) => event.aggregateId));
  });

  it("gives events ids in time order (UUID version 7), so the unique index on event_id grows at its right edge", async () => {
    const first = await withTransaction(db.pool, (client) => appendEvents(client, [harvested("f1", "wheat")]));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await withTransaction(db.pool, (client) => appendEvents(client, [harvested("f2", "corn"), harvested("f3", "rye")]));
    const ids = [...first, ...second];
    for (const id of ids) assert.equal(id[14], "7", `${id} is a version 7 uuid`);
    assert.ok(first[0]! < second[0]!, "a later transaction's id sorts after an earlier one's");
  });

  it("returns an empty list for no events without touching the table", async () => {
    assert.deepEqual(await withTransaction(db.pool, (client) => appendEvents(client, [])), []);
  });
});

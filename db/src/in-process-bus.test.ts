import assert from "node:assert/strict";
import type pg from "pg";
import { after, before, beforeEach, describe, it } from "node:test";
import { createInProcessBus } from "./in-process-bus.ts";
import { appendEvents, type OutboxEvent } from "./outbox.ts";
import { createOutboxRelay } from "./outbox-relay.ts";
import { withTransaction } from "./pool.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";

describe("createInProcessBus", () => {
  let db: TestDatabase;
  let sequence = 0;

  const fakeEvent = (aggregateId: string): OutboxEvent => {
    sequence += 1;
    return {
      id: String(sequence),
      eventId: `00000000-0000-4000-8000-${String(sequence).padStart(12, "0")}`,
      aggregateType: "match",
      aggregateId,
      type: "match.finished",
      payload: {},
      occurredAt: new Date(),
      attempts: 0,
    };
  };
  const score = async (consumer: string): Promise<string[]> =>
    (await db.pool.query<{ aggregate_id: string }>("SELECT aggregate_id FROM scores WHERE consumer = $1 ORDER BY aggregate_id", [consumer])).rows.map(
      (row) => row.aggregate_id,
    );

  before(async () => {
    db = await createTestDatabase("in_process_bus");
    await db.pool.query("CREATE TABLE scores (consumer text NOT NULL, aggregate_id text NOT NULL)");
  });
  after(() => db.drop());
  beforeEach(() => db.pool.query("TRUNCATE scores, game.inbox, game.outbox"));

  /** A consumer that writes one row per handled event through the bus's transaction. */
  const recordingConsumer = (consumer: string, calls: string[] = []) => ({
    calls,
    handler: async (event: OutboxEvent, client: pg.PoolClient) => {
      calls.push(event.aggregateId);
      await client.query("INSERT INTO scores VALUES ($1, $2)", [consumer, event.aggregateId]);
    },
  });

  it("delivers each event to every subscriber", async () => {
    const bus = createInProcessBus({ pool: db.pool });
    const ledger = recordingConsumer("ledger");
    const stats = recordingConsumer("stats");
    bus.subscribe("ledger", ledger.handler);
    bus.subscribe("stats", stats.handler);

    await bus.publish([fakeEvent("m1"), fakeEvent("m2")]);

    assert.deepEqual(ledger.calls, ["m1", "m2"]);
    assert.deepEqual(stats.calls, ["m1", "m2"]);
    assert.deepEqual(await score("ledger"), ["m1", "m2"]);
  });

  it("handles a duplicate delivery once per consumer, sequential or concurrent", async () => {
    const bus = createInProcessBus({ pool: db.pool });
    const ledger = recordingConsumer("ledger");
    const stats = recordingConsumer("stats");
    bus.subscribe("ledger", ledger.handler);
    bus.subscribe("stats", stats.handler);
    const event = fakeEvent("m1");

    await bus.publish([event]);
    await bus.publish([event]);
    await Promise.all([bus.publish([event]), bus.publish([event])]);

    assert.deepEqual(ledger.calls, ["m1"]);
    assert.deepEqual(stats.calls, ["m1"]);
    assert.deepEqual(await score("ledger"), ["m1"]);
    const { rows } = await db.pool.query("SELECT consumer FROM game.inbox WHERE event_id = $1 ORDER BY consumer", [event.eventId]);
    assert.deepEqual(rows.map((row) => row.consumer), ["ledger", "stats"]);
  });

  it("rolls back a failing handler's writes and inbox row, keeps other consumers going, and handles the event on redelivery", async () => {
    const bus = createInProcessBus({ pool: db.pool });
    const stats = recordingConsumer("stats");
    bus.subscribe("stats", stats.handler);
    let failing = true;
    const ledger = recordingConsumer("ledger");
    bus.subscribe("ledger", async (event, client) => {
      await ledger.handler(event, client);
      if (failing) throw new Error("ledger offline");
    });
    const batch = [fakeEvent("m1"), fakeEvent("m2")];

    await assert.rejects(bus.publish(batch), AggregateError);
    assert.deepEqual(await score("ledger"), [], "the failed handler's write was rolled back");
    assert.deepEqual(ledger.calls, ["m1"], "the failing consumer stops at its first failure, keeping order");
    assert.deepEqual(stats.calls, ["m1", "m2"]);

    failing = false;
    await bus.publish(batch);
    assert.deepEqual(await score("ledger"), ["m1", "m2"]);
    assert.deepEqual(stats.calls, ["m1", "m2"], "the consumer that had succeeded skips the redelivery");
  });

  it("refuses two subscribers under one consumer name", () => {
    const bus = createInProcessBus({ pool: db.pool });
    bus.subscribe("ledger", async () => {});
    assert.throws(() => bus.subscribe("ledger", async () => {}), /already subscribed/);
  });

  it("serves as the relay's publisher: committed events reach the consumers once", async () => {
    const bus = createInProcessBus({ pool: db.pool });
    const ledger = recordingConsumer("ledger");
    bus.subscribe("ledger", ledger.handler);
    const relay = createOutboxRelay({ pool: db.pool, publish: bus.publish });
    await withTransaction(db.pool, (client) =>
      appendEvents(client, [
        { aggregateType: "match", aggregateId: "m1", type: "match.finished", payload: {} },
        { aggregateType: "match", aggregateId: "m2", type: "match.finished", payload: {} },
      ]),
    );

    await relay.drainOnce();
    await relay.drainOnce();

    assert.deepEqual(ledger.calls, ["m1", "m2"]);
  });
});

import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, beforeEach, describe, it } from "node:test";
import { appendEvents, type DomainEvent, type OutboxEvent } from "./outbox.ts";
import { createOutboxRelay, type OutboxRelayErrorReport, type OutboxRelayOptions } from "./outbox-relay.ts";
import { withTransaction } from "./pool.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";

const event = (aggregateId: string, type = "crop.planted"): DomainEvent => ({ aggregateType: "farm", aggregateId, type, payload: { aggregateId } });

/** Records every batch it is given; optionally fails or waits first. */
function recordingPublisher(behaviour: (batch: readonly OutboxEvent[]) => Promise<void> | void = () => {}) {
  const batches: string[][] = [];
  return {
    batches,
    published: () => batches.flat(),
    publish: async (batch: readonly OutboxEvent[]) => {
      await behaviour(batch);
      batches.push(batch.map((e) => e.aggregateId));
    },
  };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

describe("createOutboxRelay", () => {
  let db: TestDatabase;
  const commit = (...events: DomainEvent[]): Promise<string[]> => withTransaction(db.pool, (client) => appendEvents(client, events));
  const relayWith = (options: Omit<OutboxRelayOptions, "pool">) => createOutboxRelay({ pool: db.pool, ...options });
  const rows = async () =>
    (await db.pool.query("SELECT aggregate_id, published_at, attempts, last_error, dead_at FROM game.outbox ORDER BY id")).rows;

  before(async () => {
    db = await createTestDatabase("outbox_relay");
  });
  after(() => db.drop());
  beforeEach(() => db.pool.query("TRUNCATE game.outbox"));

  it("publishes every committed event exactly once, in batches, and marks each published", async () => {
    await commit(event("a"), event("b"), event("c"));
    await commit(event("d"));
    await commit(event("e"), event("f"), event("g"));
    const publisher = recordingPublisher();
    const relay = relayWith({ publish: publisher.publish, batchSize: 3 });

    assert.deepEqual(await relay.drainOnce(), { published: 7, failed: 0, dead: 0 });
    assert.deepEqual(await relay.drainOnce(), { published: 0, failed: 0, dead: 0 });

    assert.deepEqual(publisher.published(), ["a", "b", "c", "d", "e", "f", "g"]);
    assert.ok(publisher.batches.every((batch) => batch.length <= 3));
    assert.ok((await rows()).every((row) => row.published_at !== null));
  });

  it("does not skip an event whose transaction commits after a later id was published", async () => {
    const late = await db.pool.connect();
    try {
      await late.query("BEGIN");
      await appendEvents(late, [event("late")]); // takes the lower id, stays invisible
      await commit(event("early")); // higher id, committed first
      const publisher = recordingPublisher();
      const relay = relayWith({ publish: publisher.publish });

      await relay.drainOnce();
      assert.deepEqual(publisher.published(), ["early"]);
      await late.query("COMMIT");
      await relay.drainOnce();
      assert.deepEqual(publisher.published(), ["early", "late"]);
    } finally {
      late.release();
    }
  });

  it("never lets two relays draining at once publish the same row (SKIP LOCKED)", async () => {
    await commit(...Array.from({ length: 60 }, (_, i) => event(`e${i}`)));
    // A slow publish keeps each claim open long enough for the other relay to run into it.
    const slow = () => sleep(5);
    const first = recordingPublisher(slow);
    const second = recordingPublisher(slow);
    const [a, b] = await Promise.all([
      relayWith({ publish: first.publish, batchSize: 5 }).drainOnce(),
      relayWith({ publish: second.publish, batchSize: 5 }).drainOnce(),
    ]);

    const all = [...first.published(), ...second.published()];
    assert.equal(new Set(all).size, all.length, "no event published twice");
    assert.equal(all.length, 60);
    assert.equal(a.published + b.published, 60);
    assert.ok(a.published > 0 && b.published > 0, "both relays took part");
  });

  it("retries a failing publish, recording attempts and the error, and marks the event dead after maxAttempts", async () => {
    await commit(event("doomed"));
    const reports: OutboxRelayErrorReport[] = [];
    let calls = 0;
    const relay = relayWith({
      publish: async () => {
        calls += 1;
        throw new Error("broker down");
      },
      maxAttempts: 3,
      onError: (report) => reports.push(report),
    });

    assert.deepEqual(await relay.drainOnce(), { published: 0, failed: 1, dead: 0 });
    assert.equal((await rows())[0]?.published_at, null, "the claim was rolled back");
    assert.deepEqual(await relay.drainOnce(), { published: 0, failed: 1, dead: 0 });
    assert.deepEqual(await relay.drainOnce(), { published: 0, failed: 1, dead: 1 });
    assert.deepEqual(await relay.drainOnce(), { published: 0, failed: 0, dead: 0 }, "dead events are not retried");

    assert.equal(calls, 3);
    const [row] = await rows();
    assert.equal(row?.attempts, 3);
    assert.equal(row?.last_error, "broker down");
    assert.notEqual(row?.dead_at, null);
    assert.equal(row?.published_at, null);
    assert.deepEqual(
      reports.map((report) => report.kind),
      ["publish-failed", "publish-failed", "publish-failed", "dead"],
    );
    assert.equal(reports.at(-1)?.events[0]?.aggregateId, "doomed");
  });

  it("after a failed batch, publishes its events one by one so only the poison event goes dead", async () => {
    await commit(event("ok1"), event("ok2"), event("poison", "bad"), event("ok3"), event("ok4"));
    const publisher = recordingPublisher((batch) => {
      if (batch.some((e) => e.type === "bad")) throw new Error("cannot serialise");
    });
    const relay = relayWith({ publish: publisher.publish, maxAttempts: 2 });

    for (let pass = 0; pass < 5; pass += 1) await relay.drainOnce();

    assert.deepEqual(publisher.published(), ["ok1", "ok2", "ok3", "ok4"]);
    const byId = new Map((await rows()).map((row) => [row.aggregate_id, row]));
    assert.notEqual(byId.get("poison")?.dead_at, null);
    for (const healthy of ["ok1", "ok2", "ok3", "ok4"]) {
      assert.notEqual(byId.get(healthy)?.published_at, null);
      assert.ok((byId.get(healthy)?.attempts ?? 0) <= 1, "a healthy event pays for the failed batch once at most");
    }
  });

  it("once started, publishes promptly on NOTIFY without waiting for the poll interval", async () => {
    const publisher = recordingPublisher();
    const relay = relayWith({ publish: publisher.publish, pollIntervalMs: 60_000 });
    await relay.start();
    try {
      await commit(event("notified"));
      await waitFor(() => publisher.published().includes("notified"), 2000);
    } finally {
      await relay.stop();
    }
  });

  it("falls back to polling when no notification arrives", async () => {
    await db.pool.query("ALTER TABLE game.outbox DISABLE TRIGGER outbox_notify");
    const publisher = recordingPublisher();
    const relay = relayWith({ publish: publisher.publish, pollIntervalMs: 50 });
    await relay.start();
    try {
      await commit(event("polled"));
      await waitFor(() => publisher.published().includes("polled"), 2000);
    } finally {
      await relay.stop();
      await db.pool.query("ALTER TABLE game.outbox ENABLE TRIGGER outbox_notify");
    }
  });

  it("reports a lost LISTEN connection, listens again, and keeps reacting to NOTIFY", async () => {
    const publisher = recordingPublisher();
    const reports: OutboxRelayErrorReport[] = [];
    const relay = relayWith({ publish: publisher.publish, pollIntervalMs: 60_000, retryDelayMs: 50, onError: (report) => reports.push(report) });
    const listeners = async () =>
      (await db.pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN game_outbox'")).rows;
    await relay.start();
    try {
      const [first] = await listeners();
      assert.ok(first);
      await db.pool.query("SELECT pg_terminate_backend($1)", [first.pid]);
      await waitFor(() => reports.some((report) => report.kind === "relay-failed"));
      await waitFor(async () => (await listeners()).some((row) => row.pid !== first.pid));

      await commit(event("after-reconnect"));
      await waitFor(() => publisher.published().includes("after-reconnect"), 2000);
    } finally {
      await relay.stop();
    }
  });

  it("stop() waits for the batch in flight, which ends published", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    const publisher = recordingPublisher(async () => {
      entered = true;
      await gate;
    });
    const relay = relayWith({ publish: publisher.publish, pollIntervalMs: 60_000 });
    await relay.start();
    await commit(event("in-flight"));
    await waitFor(() => entered);

    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await sleep(50);
    assert.equal(stopped, false, "stop() is still waiting for publish");
    release();
    await stopping;
    assert.deepEqual(publisher.published(), ["in-flight"]);
    assert.notEqual((await rows())[0]?.published_at, null);
  });
});

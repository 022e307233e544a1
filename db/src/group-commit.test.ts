import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createGroupCommit, isItemError } from "./group-commit.ts";

/** A write whose statements finish only when the test says so. */
function controlledWrite<T, R>(answer: (item: T) => R) {
  const calls: { items: T[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const write = (items: readonly T[]) =>
    new Promise<R[]>((resolve, reject) => {
      calls.push({ items: [...items], finish: () => resolve(items.map(answer)), fail: reject });
    });
  return { calls, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("createGroupCommit", () => {
  it("writes a lone item at once, and the items that arrive meanwhile together in the next statement", async () => {
    const { calls, write } = controlledWrite((n: number) => n * 10);
    const commit = createGroupCommit(write, { maxInFlight: 1 });
    const first = commit.submit(1);
    assert.deepEqual(calls.map((c) => c.items), [[1]]);
    const rest = [2, 3, 4].map((n) => commit.submit(n));
    assert.equal(commit.pending(), 4);
    calls[0]!.finish();
    assert.equal(await first, 10);
    await tick();
    assert.deepEqual(calls.map((c) => c.items), [[1], [2, 3, 4]]);
    calls[1]!.finish();
    assert.deepEqual(await Promise.all(rest), [20, 30, 40]);
    assert.equal(commit.pending(), 0);
  });

  it("answers nobody before their own statement has finished", async () => {
    const { calls, write } = controlledWrite((n: number) => n);
    const commit = createGroupCommit(write, { maxInFlight: 1 });
    let answered = false;
    void commit.submit(1);
    void commit.submit(2).then(() => (answered = true));
    calls[0]!.finish();
    await tick();
    assert.equal(answered, false, "item 2 waits for the statement that holds it");
    calls[1]!.finish();
    await tick();
    assert.equal(answered, true);
  });

  it("keeps at most maxInFlight statements running and maxBatch items in each", async () => {
    const { calls, write } = controlledWrite((n: number) => n);
    const commit = createGroupCommit(write, { maxInFlight: 2, maxBatch: 3 });
    const all = Array.from({ length: 10 }, (_, i) => commit.submit(i));
    assert.deepEqual(calls.map((c) => c.items), [[0], [1]]);
    calls[0]!.finish();
    await tick();
    assert.deepEqual(calls.map((c) => c.items), [[0], [1], [2, 3, 4]]);
    calls[1]!.finish();
    calls[2]!.finish();
    await tick();
    assert.deepEqual(calls.slice(3).map((c) => c.items), [[5, 6, 7], [8, 9]]);
    calls[3]!.finish();
    calls[4]!.finish();
    assert.deepEqual(await Promise.all(all), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("when a statement fails on one item, retries its items one by one so that only the bad one fails", async () => {
    const written: number[][] = [];
    const commit = createGroupCommit(
      async (items: readonly number[]) => {
        written.push([...items]);
        // A check constraint, as Postgres reports it.
        if (items.includes(13)) throw Object.assign(new Error("13 is refused"), { code: "23514" });
        return items.map((n) => n + 1);
      },
      { maxInFlight: 1 },
    );
    const blocker = commit.submit(0);
    const results = Promise.allSettled([12, 13, 14].map((n) => commit.submit(n)));
    assert.equal(await blocker, 1);
    const settled = await results;
    assert.deepEqual(
      settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message)),
      [13, "13 is refused", 15],
    );
    assert.deepEqual(written, [[0], [12, 13, 14], [12], [13], [14]]);
  });

  it("fails the whole batch at once on an error no single item causes (the database gone), without retrying each", async () => {
    let statements = 0;
    const commit = createGroupCommit(
      async (items: readonly number[]) => {
        statements++;
        if (items.length > 1) throw Object.assign(new Error("connection terminated"), { code: undefined });
        return items;
      },
      { maxInFlight: 1 },
    );
    const blocker = commit.submit(0);
    const results = Promise.allSettled([1, 2, 3].map((n) => commit.submit(n)));
    assert.equal(await blocker, 0);
    assert.deepEqual((await results).map((r) => r.status), ["rejected", "rejected", "rejected"]);
    assert.equal(statements, 2, "the lone first item, then one batch: no item-by-item retry");
    assert.equal(isItemError({ code: "40P01" }), true, "a deadlock is retried one by one");
    assert.equal(isItemError({ code: "57P01" }), false, "an admin shutdown is not");
  });

  it("rejects when the write answers a different number of results than items", async () => {
    const commit = createGroupCommit(async () => [1, 2]);
    await assert.rejects(commit.submit(1), /2 results for 1 items/);
  });

  it("refuses a batch or in-flight limit below one", () => {
    assert.throws(() => createGroupCommit(async (items) => items, { maxBatch: 0 }), RangeError);
    assert.throws(() => createGroupCommit(async (items) => items, { maxInFlight: 0 }), RangeError);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createGameClockStore } from "./game-clock-store.ts";

describe("the shared game clock", () => {
  let db: TestDatabase;
  let wall = 1_000_000;
  const wallNowMs = () => wall;

  before(async () => {
    db = await createTestDatabase("clock");
  });
  after(async () => {
    await db?.drop();
  });

  it("starts at the wall clock and runs at the configured scale", async () => {
    const clock = createGameClockStore(db.pool, { defaultTimeScale: 10, wallNowMs });
    assert.equal(await clock.nowMs(), 1_000_000);
    wall += 1_000;
    assert.equal(await clock.nowMs(), 1_010_000);
  });

  it("lets every instance see an advance, another instance once its cache (250 ms) has run out", async () => {
    const one = createGameClockStore(db.pool, { wallNowMs });
    const two = createGameClockStore(db.pool, { wallNowMs });
    const before = await two.nowMs();
    const advanced = await one.advance(3_600_000);
    assert.equal(advanced, before + 3_600_000);
    assert.equal(await one.nowMs(), advanced, "the advancing instance at once");
    wall += 251;
    const seenByTwo = await two.nowMs();
    assert.ok(seenByTwo > advanced, "the other after its cache");
    assert.equal(seenByTwo, await one.nowMs(), "both agree");
  });

  it("applies concurrent advances one after the other, losing none", async () => {
    const clock = createGameClockStore(db.pool, { wallNowMs });
    const before = await clock.nowMs();
    await Promise.all(Array.from({ length: 5 }, () => clock.advance(1_000)));
    assert.equal(await clock.nowMs(), before + 5_000);
  });

  it("reloads its anchor once for all the calls that find the cache stale together", async () => {
    let statements = 0;
    const counting = { query: (...args: Parameters<typeof db.pool.query>) => (statements++, db.pool.query(...args)) } as unknown as typeof db.pool;
    const clock = createGameClockStore(counting, { wallNowMs });
    await clock.nowMs();
    wall += 251;
    statements = 0;
    const times = await Promise.all(Array.from({ length: 20 }, () => clock.nowMs()));
    assert.equal(statements, 1, "one read for twenty callers");
    assert.equal(new Set(times).size, 1);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { withTransaction } from "./pool.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";

describe("withTransaction", () => {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase("pool", { migrate: false });
    await db.pool.query("CREATE TABLE notes (body text NOT NULL)");
  });
  after(() => db.drop());

  it("commits what the callback wrote and returns its result", async () => {
    const result = await withTransaction(db.pool, async (client) => {
      await client.query("INSERT INTO notes VALUES ('kept')");
      return "done";
    });
    assert.equal(result, "done");
    const { rows } = await db.pool.query("SELECT body FROM notes WHERE body = 'kept'");
    assert.equal(rows.length, 1);
  });

  it("rolls back when the callback throws and rethrows the original error unchanged", async () => {
    const boom = new Error("boom");
    await assert.rejects(
      withTransaction(db.pool, async (client) => {
        await client.query("INSERT INTO notes VALUES ('discarded')");
        throw boom;
      }),
      (error: Error) => error === boom,
    );
    const { rows } = await db.pool.query("SELECT body FROM notes WHERE body = 'discarded'");
    assert.equal(rows.length, 0);
  });

  it("returns the connection to the pool whether it commits or fails", async () => {
    await withTransaction(db.pool, async () => undefined);
    await withTransaction(db.pool, async () => {
      throw new Error("fail");
    }).catch(() => undefined);
    assert.equal(db.pool.totalCount, db.pool.idleCount);
  });

  it("leaves no aborted transaction on the connection after a failed statement", async () => {
    await withTransaction(db.pool, (client) => client.query("SELECT * FROM missing_table")).catch(() => undefined);
    // pg's pool hands back the most recently released connection first.
    const { rows } = await db.pool.query<{ fresh: boolean }>("SELECT now() = statement_timestamp() AS fresh");
    assert.equal(rows[0]?.fresh, true, "the statement runs in a new transaction of its own");
  });
});

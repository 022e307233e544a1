import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { databaseUrl, ensureDatabase } from "./ensure-database.ts";
import { withAdminClient } from "./testing/admin-client.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";

describe("ensureDatabase", () => {
  let db: TestDatabase;
  let serverUrl: string;
  const name = `ensure_${process.pid}`;

  before(async () => {
    db = await createTestDatabase("ensure_database", { migrate: false });
    serverUrl = databaseUrl(db.url, "postgres");
  });
  after(async () => {
    await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await db.drop();
  });

  it("creates a missing database, also when called concurrently, and returns a URL that reaches it", async () => {
    const urls = await Promise.all([ensureDatabase(serverUrl, name), ensureDatabase(serverUrl, name), ensureDatabase(serverUrl, name)]);
    assert.equal(new Set(urls).size, 1);
    const url = urls[0]!;
    assert.equal(new URL(url).pathname, `/${name}`);
    const current = await withAdminClient(url, async (client) => (await client.query<{ db: string }>("SELECT current_database() AS db")).rows[0]?.db);
    assert.equal(current, name);
  });

  it("leaves an existing database as it is", async () => {
    const url = await ensureDatabase(serverUrl, name);
    await withAdminClient(url, (client) => client.query("CREATE TABLE IF NOT EXISTS marker (x int)"));
    await ensureDatabase(serverUrl, name);
    const { rowCount } = await withAdminClient(url, (client) => client.query("SELECT 1 FROM marker"));
    assert.equal(rowCount, 0);
  });
});

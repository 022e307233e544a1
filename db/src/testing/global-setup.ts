/**
 * node:test global setup (`node --test --test-global-setup=db/src/testing/global-setup.ts`):
 * one embedded PostgreSQL for the whole run. It runs in the test runner's own
 * process before any test file is spawned, so the URL put in the environment
 * here reaches every test process; createTestDatabase() reads it there.
 */
import type { EmbeddedPostgres } from "../embedded-postgres.ts";
import { startTestCluster } from "./test-cluster.ts";
import { TEST_PG_URL_ENV } from "./test-database.ts";

let server: EmbeddedPostgres | undefined;

/** Starts the run's server and publishes its URL as HARVEST_TEST_PG_URL. */
export async function globalSetup(): Promise<void> {
  server = await startTestCluster();
  process.env[TEST_PG_URL_ENV] = server.url;
}

/** Stops the server and removes its folder. */
export async function globalTeardown(): Promise<void> {
  await server?.stop();
  server = undefined;
}

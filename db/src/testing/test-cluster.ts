import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { reclaimDataDir, startEmbeddedPostgres, type EmbeddedPostgres } from "../embedded-postgres.ts";
import { isProcessAlive } from "../postmaster.ts";
import { findFreePort } from "./free-port.ts";

/** Where test clusters live: the repository's gitignored .cache folder. */
export const TEST_PG_ROOT = fileURLToPath(new URL("../../../.cache/test-pg/", import.meta.url));

// A test cluster is thrown away afterwards, so durability buys nothing.
const THROWAWAY_SETTINGS = {
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  max_connections: "200",
};

/**
 * Starts a throwaway PostgreSQL in a fresh folder under {@link TEST_PG_ROOT} on
 * a free port; `stop()` also deletes the folder. First sweeps folders left by
 * test runs that died without cleaning up (see {@link reapAbandonedClusters}).
 */
export async function startTestCluster(): Promise<EmbeddedPostgres> {
  await reapAbandonedClusters();
  // The creating pid in the name tells the reaper whether the folder is still in use.
  const runDir = path.join(TEST_PG_ROOT, `run-${process.pid}-${randomBytes(3).toString("hex")}`);
  await mkdir(runDir, { recursive: true });
  for (let attempt = 1; ; attempt += 1) {
    try {
      const server = await startEmbeddedPostgres({ dataDir: path.join(runDir, "data"), port: await findFreePort(), settings: THROWAWAY_SETTINGS });
      return {
        url: server.url,
        stop: async () => {
          await server.stop();
          await rm(runDir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      // Most likely someone took the free port first: try another.
      if (attempt >= 3) {
        await rm(runDir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

/**
 * Removes test cluster folders (`run-<pid>-*`) whose creating process is dead, first stopping
 * a server still running there (orphaned when a test run was SIGKILLed).
 * Folders of live processes, e.g. another developer's run in the same
 * checkout, are left alone.
 */
export async function reapAbandonedClusters(root: string = TEST_PG_ROOT): Promise<void> {
  const entries = await readdir(root).catch(() => []);
  for (const entry of entries) {
    const pid = Number(/^run-(\d+)-/.exec(entry)?.[1]);
    if (!Number.isInteger(pid) || (await isProcessAlive(pid))) continue;
    const runDir = path.join(root, entry);
    // A run folder holds one cluster ("data") or, for the embedded-postgres tests, several.
    const clusters = await readdir(runDir, { withFileTypes: true }).catch(() => []);
    try {
      for (const cluster of clusters) if (cluster.isDirectory()) await reclaimDataDir(path.join(runDir, cluster.name));
    } catch {
      continue; // Someone else's live server: not ours to remove.
    }
    await rm(runDir, { recursive: true, force: true });
  }
}

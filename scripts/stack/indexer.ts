import { fileURLToPath } from "node:url";
import { spawnManaged, waitFor, type ManagedProcess } from "./processes.ts";

const indexerDir = fileURLToPath(new URL("../../indexer", import.meta.url));
const ponderCli = fileURLToPath(new URL("../../node_modules/ponder/dist/esm/bin/ponder.js", import.meta.url));

export type IndexerOptions = {
  databaseUrl: string;
  rpcUrl: string;
  deploymentFile: string;
  port: number;
  /** Ponder's own schema; only the indexer reads or writes it. */
  schema?: string;
  /** Where Ponder publishes its views for everyone else. */
  viewsSchema?: string;
  onLine?: (line: string) => void;
  /** The Ponder app's folder; the game's indexer by default (benchmarks run a bare one). */
  appDir?: string;
  /** Wait for the indexer to be ready before resolving (default true). */
  waitUntilReady?: boolean;
};

/** Starts the Ponder indexer (`ponder start`) and waits until it reports ready. */
export async function startIndexer(options: IndexerOptions): Promise<{ url: string; process: ManagedProcess }> {
  const { port, schema = "indexer", viewsSchema = "chain", appDir = indexerDir, waitUntilReady = true } = options;
  const child = spawnManaged(
    "indexer",
    process.execPath,
    [ponderCli, "start", "--schema", schema, "--views-schema", viewsSchema, "--port", String(port), "--hostname", "127.0.0.1", "--log-format", "json"],
    {
      cwd: appDir,
      env: {
        DATABASE_URL: options.databaseUrl,
        RPC_URL: options.rpcUrl,
        DEPLOYMENT_FILE: options.deploymentFile,
        PONDER_TELEMETRY_DISABLED: "true",
      },
      onLine: (line) => options.onLine?.(line),
    },
  );
  const url = `http://127.0.0.1:${port}`;
  if (!waitUntilReady) return { url, process: child };
  const exitedEarly = child.exited.then((code) => {
    throw new Error(`the indexer exited with code ${code} before it was ready`);
  });
  await Promise.race([waitFor("the indexer to be ready", async () => (await fetch(`${url}/ready`)).ok, 90_000, 250), exitedEarly]);
  exitedEarly.catch(() => {});
  return { url, process: child };
}

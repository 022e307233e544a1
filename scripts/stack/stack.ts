import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { readDeployment, type Deployment } from "../../core/src/chain/deployment.ts";
import { checkRpcReachable } from "../../core/src/config/startup-checks.ts";
import { ensureDatabase } from "../../db/src/embedded-postgres.ts";
import { migrateUp } from "../../db/src/migrate.ts";
import { resetIndexedChain } from "../../db/src/ownership/reset-indexed-chain.ts";
import { resetChainLinks } from "../../db/src/farm/reset-chain-links.ts";
import { buildContracts, deployContracts, startHardhatNode } from "./chain.ts";
import { startIndexer } from "./indexer.ts";
import { spawnManaged, type ManagedProcess } from "./processes.ts";
import { seedDemo, type DemoSeed } from "./seed-demo.ts";
import { startService } from "./services.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export type StackOptions = {
  /** Where the embedded Postgres keeps its data and the stack writes its files. */
  dataDir: string;
  ports: { api: number; gameServer: number; chain: number; indexer: number; postgres: number };
  /** An external Postgres; when absent, the embedded one runs. */
  databaseUrl?: string;
  /** An external chain; when absent, a Hardhat node runs (fresh each time). */
  rpcUrl?: string;
  /** An existing deployment on the external chain; when absent, the contracts are deployed. */
  deploymentFile?: string;
  indexerSchema?: string;
  viewsSchema?: string;
  /** Seed the demo players and tokens (on a fresh local chain). */
  seed?: boolean;
  /** Receives every line any service prints. */
  log?: (service: string, line: string) => void;
  logLevel?: string;
};

/** A running stack: its URLs, what it deployed and seeded, and how to stop it all. */
export type Stack = {
  urls: { api: string; gameServer: string; chain: string; indexer: string; database: string };
  deployment: Deployment;
  deploymentFile: string;
  seed?: DemoSeed;
  stop(): Promise<void>;
};

/**
 * Brings up the whole backend on one machine: Postgres (embedded unless given), a Hardhat node
 * (unless given an RPC URL), the contracts, the migrations, the indexer, the API and the game
 * server, and the demo seed. Stops what it started, in reverse order, when a step fails.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const started: ManagedProcess[] = [];
  const stop = async () => {
    for (const child of started.reverse()) await child.stop();
    started.length = 0;
  };
  try {
    await mkdir(options.dataDir, { recursive: true });
    const serverUrl = options.databaseUrl ?? (await startPostgres(options, started, log));
    const databaseUrl = options.databaseUrl ?? (await ensureDatabase(serverUrl, "harvest"));

    let rpcUrl = options.rpcUrl;
    const freshChain = rpcUrl === undefined;
    if (rpcUrl === undefined) {
      await buildContracts((line) => log("contracts", line));
      const chain = await startHardhatNode(options.ports.chain, (line) => log("chain", line));
      started.push(chain.process);
      rpcUrl = chain.url;
    } else {
      await checkRpcReachable(rpcUrl, 5_000);
    }
    const deploymentFile =
      options.deploymentFile ?? (await deployContracts(rpcUrl, resolve(options.dataDir, "deployment.json"), (line) => log("deploy", line)));
    const deployment = readDeployment(deploymentFile);

    await migrateUp(databaseUrl);
    const schemas = { indexer: options.indexerSchema ?? "indexer", views: options.viewsSchema ?? "chain" };
    if (freshChain) {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      await resetIndexedChain(pool, schemas)
        .then(() => resetChainLinks(pool))
        .finally(() => pool.end());
    }
    const seed = options.seed && freshChain ? await seedDemo(rpcUrl, deployment) : undefined;

    const indexer = await startIndexer({
      databaseUrl,
      rpcUrl,
      deploymentFile,
      port: options.ports.indexer,
      schema: schemas.indexer,
      viewsSchema: schemas.views,
      onLine: (line) => log("indexer", line),
    });
    started.push(indexer.process);

    const serviceEnv = {
      DATABASE_URL: databaseUrl,
      RPC_URL: rpcUrl,
      DEPLOYMENT_FILE: deploymentFile,
      CHAIN_VIEWS_SCHEMA: schemas.views,
      LOG_LEVEL: options.logLevel ?? "info",
    };
    const [api, gameServer] = await Promise.all([
      startService("api", options.ports.api, serviceEnv, (line) => log("api", line)),
      startService("game-server", options.ports.gameServer, serviceEnv, (line) => log("game-server", line)),
    ]);
    started.push(api.process, gameServer.process);

    return {
      urls: { api: api.url, gameServer: gameServer.url, chain: rpcUrl, indexer: indexer.url, database: databaseUrl },
      deployment,
      deploymentFile,
      ...(seed ? { seed } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startPostgres(options: StackOptions, started: ManagedProcess[], log: (service: string, line: string) => void): Promise<string> {
  const script = `${root}scripts/stack/postgres-process.ts`;
  let ready: (url: string) => void;
  const url = new Promise<string>((resolveUrl) => (ready = resolveUrl));
  const child = spawnManaged("postgres", process.execPath, [script, resolve(options.dataDir, "postgres"), String(options.ports.postgres)], {
    onLine: (line, stream) => {
      if (stream === "stdout" && line.startsWith("{")) {
        const message = JSON.parse(line) as { ready?: boolean; url?: string };
        if (message.ready && message.url) ready(message.url);
      } else {
        log("postgres", line);
      }
    },
  });
  started.push(child);
  const exitedEarly = child.exited.then((code) => {
    throw new Error(`embedded Postgres exited with code ${code} before it was ready (is port ${options.ports.postgres} taken?)`);
  });
  const result = await Promise.race([url, exitedEarly]);
  exitedEarly.catch(() => {});
  return result;
}

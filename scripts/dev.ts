/**
 * `npm start`: the whole Harvest Battles backend on one machine, with no system services.
 *
 * Postgres (embedded, data under .data/) unless DATABASE_URL is set; a Hardhat node unless RPC_URL is
 * set; the contracts deployed (unless DEPLOYMENT_FILE names an existing deployment); migrations; the
 * indexer, the API and the game server; demo data on Hardhat's development accounts. Ctrl-C or
 * SIGTERM stops everything. Every service's logs are printed, prefixed with its name.
 */
import { resolve } from "node:path";
import { prettyFactory } from "pino-pretty";
import { ConfigError, launcherEnv, parseEnv } from "../core/src/config/env.ts";
import { startStack } from "./stack/stack.ts";

let config;
try {
  config = parseEnv(launcherEnv, process.env);
} catch (error) {
  process.stderr.write(`harvest: ${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}

const verbose = process.env.HARVEST_VERBOSE === "1";
const started = Date.now();
const say = (line: string) => process.stdout.write(`${line}\n`);
// Services log JSON lines (pino, and Ponder's pino-style logs); in a terminal they are shown readable.
const pretty = process.stdout.isTTY && process.env.HARVEST_LOG_FORMAT !== "json" ? prettyFactory({ colorize: true, singleLine: true, ignore: "pid,hostname,service,name" }) : undefined;
const format = (line: string) => {
  if (!pretty || !line.startsWith("{")) return line;
  try {
    return pretty(JSON.parse(line)).trimEnd();
  } catch {
    return line;
  }
};
const log = (service: string, line: string) => {
  if (line.trim() === "") return;
  // Ponder's per-block lines drown everything else; HARVEST_VERBOSE=1 shows them.
  if (!verbose && service === "indexer" && line.includes('"Indexed block"')) return;
  if (!verbose && (service === "chain" || service === "contracts" || service === "deploy")) return;
  say(`[${service}] ${format(line)}`);
};

let stopping = false;
let stack: Awaited<ReturnType<typeof startStack>> | undefined;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  say(`harvest: ${signal}: stopping every service…`);
  await stack?.stop();
  say("harvest: stopped.");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  stack = await startStack({
    dataDir: resolve(config.HARVEST_DATA_DIR),
    ports: { api: config.API_PORT, gameServer: config.GAME_SERVER_PORT, chain: config.CHAIN_PORT, indexer: config.INDEXER_PORT, postgres: config.POSTGRES_PORT },
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
    ...(config.RPC_URL ? { rpcUrl: config.RPC_URL } : {}),
    ...(process.env.DEPLOYMENT_FILE ? { deploymentFile: resolve(process.env.DEPLOYMENT_FILE) } : {}),
    indexerSchema: config.INDEXER_SCHEMA,
    viewsSchema: config.CHAIN_VIEWS_SCHEMA,
    seed: true,
    log,
    logLevel: config.LOG_LEVEL,
  });
} catch (error) {
  process.stderr.write(`harvest: start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
}
if (stopping) await new Promise(() => {});

const { urls, seed, deployment } = stack;
say("");
say(`Harvest Battles is up (${((Date.now() - started) / 1000).toFixed(1)} s).`);
say(`  API          ${urls.api}   (health: ${urls.api}/health)`);
say(`  Game server  ${urls.gameServer}   (health: ${urls.gameServer}/health, WebSocket: ${urls.gameServer.replace("http", "ws")}/ws)`);
say(`  API docs     ${urls.api}/docs`);
say(`  Indexer      ${urls.indexer}   (status: ${urls.indexer}/status)`);
say(`  Chain        ${urls.chain}   (chain id ${deployment.chainId})`);
say(`  Postgres     ${urls.database.replace(/:[^:@/]+@/, ":***@")}`);
say(`  HarvestCard  ${deployment.contracts.HarvestCard.address}`);
say(`  HarvestLand  ${deployment.contracts.HarvestLand.address}`);
if (seed) {
  say("Demo wallets (Hardhat's public development keys; never use them on a real chain):");
  for (const player of seed.players) say(`  ${player.address}  ${player.privateKeyHint}: ${player.holds}`);
  say(`  Try: curl ${urls.api}/v1/wallets/${seed.players[0]!.address}/tokens`);
}
say("Ctrl-C stops everything.");

import pg from "pg";
import { ConfigError, type sharedEnv } from "@harvest/core/config/env";
import { checkRpcReachable } from "@harvest/core/config/startup-checks";
import { createLogger, type Logger } from "@harvest/core/logging/logger";
import { createHealthCheck, type HealthReport } from "../health/check-health.ts";
import { createOwnershipReader, type OwnershipReader } from "../ownership/ownership-reader.ts";
import { createTokenService, type TokenService } from "../auth/token-service.ts";
import { resolveTokenSecret } from "@harvest/core/config/token-secret";
import { createInProcessBus, type InProcessBus } from "../in-process-bus.ts";
import { createOutboxRelay } from "../outbox-relay.ts";
import type { z } from "zod";

type SharedConfig = z.infer<z.ZodObject<typeof sharedEnv>>;

/** What every service process gets once its environment and dependencies have been checked. */
export type ServiceContext<Config extends SharedConfig> = {
  config: Config;
  logger: Logger;
  pool: pg.Pool;
  ownership: OwnershipReader;
  checkHealth: () => Promise<HealthReport>;
  /** Issues and verifies access tokens; already listening for revocations. */
  tokens: TokenService;
  /** The chain id the RPC answered with at start-up. */
  chainId: number;
  /** In-process subscribers to the outbox's events (only in the process that runs the relay). */
  bus: InProcessBus;
};

export type StartServiceOptions = {
  /**
   * Run the outbox relay here, publishing to this process's in-process bus. With in-process delivery
   * one kind of process must own the events' subscribers; the API does.
   */
  relay?: boolean;
};

/** Starts the service and returns how to stop it. */
export type ServiceMain<Config extends SharedConfig> = (context: ServiceContext<Config>) => Promise<() => Promise<void>>;

/**
 * The shared life cycle of the API and the game server: read the environment once, check that the
 * database and the chain answer (a bad value ends start-up with one line naming the variable, and
 * exit code 1), run the service, and stop it cleanly on SIGINT or SIGTERM.
 */
export async function startService<Config extends SharedConfig>(
  name: string,
  loadConfig: () => Config,
  main: ServiceMain<Config>,
  options: StartServiceOptions = {},
): Promise<void> {
  let config: Config;
  let pool: pg.Pool;
  let chainId: number;
  let secret: string;
  const warnings: string[] = [];
  try {
    config = loadConfig();
    pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 10, application_name: `harvest-${name}`, connectionTimeoutMillis: config.STARTUP_CHECK_TIMEOUT_MS });
    // One after the other, so the line names the first variable at fault; each is bounded.
    await checkDatabaseReachable(pool, config.STARTUP_CHECK_TIMEOUT_MS);
    chainId = await checkRpcReachable(config.RPC_URL, config.STARTUP_CHECK_TIMEOUT_MS);
    secret = resolveTokenSecret(config, (warning) => warnings.push(warning));
  } catch (error) {
    const line = error instanceof ConfigError ? error.message : `start-up failed: ${(error as Error).message}`;
    process.stderr.write(`${name}: ${line}\n`);
    process.exit(1);
  }
  const logger = createLogger(name, config.LOG_LEVEL);
  for (const warning of warnings) logger.warn(warning);
  pool.on("error", (error) => logger.error({ err: error }, "idle database client failed"));
  const ownership = createOwnershipReader({ pool, viewsSchema: config.CHAIN_VIEWS_SCHEMA });
  const checkHealth = createHealthCheck({ pool, rpcUrl: config.RPC_URL, ownership });
  const tokens = createTokenService({
    pool,
    secret,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    onListenerError: (error) => logger.warn({ err: error }, "revocation listener lost; checking sessions in the database until it is back"),
  });
  await tokens.start();
  const bus = createInProcessBus({ pool });
  const relay = options.relay
    ? createOutboxRelay({
        pool,
        publish: bus.publish,
        onError: (report) => logger.error({ kind: report.kind, err: report.error, events: report.events.map((e) => e.eventId) }, "outbox relay"),
      })
    : undefined;
  const stop = await main({ config, logger, pool, ownership, checkHealth, tokens, chainId, bus });
  await relay?.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    const deadline = setTimeout(() => process.exit(1), 5_000).unref();
    await relay?.stop();
    await stop();
    await tokens.stop();
    await pool.end();
    clearTimeout(deadline);
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

async function checkDatabaseReachable(pool: pg.Pool, timeoutMs: number): Promise<void> {
  try {
    await pool.query("SELECT 1");
  } catch (cause) {
    throw new ConfigError("DATABASE_URL", `cannot connect within ${timeoutMs} ms: ${(cause as Error).message}`);
  }
}

import { serve } from "@hono/node-server";
import { createPublicClient, http } from "viem";
import { readDeployment } from "@harvest/core/chain/deployment";
import { AppError } from "@harvest/core/errors/error-codes";
import { gameSecrets } from "@harvest/core/config/dev-secrets";
import { startService } from "@harvest/db/service/start-service";
import { createApp } from "./app.ts";
import { createSignatureVerifier } from "./auth/verify-signature.ts";
import { loadApiConfig } from "./config.ts";
import { createGameServices } from "./game-services.ts";
import { createApiRateLimits } from "./rate-limits.ts";
import { siwePolicyFrom } from "./siwe-policy.ts";

// The API process: reads the environment, checks its dependencies, serves until SIGINT/SIGTERM.
await startService("api", loadApiConfig, async ({ config, logger, pool, ownership, checkHealth, tokens, chainId }) => {
  // Smart-contract wallets are checked on the chain the RPC serves; a message naming another chain has no client.
  const client = createPublicClient({ transport: http(config.RPC_URL, { timeout: config.SIGNATURE_RPC_TIMEOUT_MS, retryCount: 0 }) });
  const limits = createApiRateLimits(pool, config.RATE_LIMIT_MULTIPLIER);
  const deployment = readDeployment(config.DEPLOYMENT_FILE);
  const { voucherSignerKey, serverSeed } = gameSecrets(config, (warning) => logger.warn(warning));
  const { farm, crafting } = createGameServices({
    pool,
    ownership,
    serverSeed,
    voucherSignerKey,
    card: { address: deployment.contracts.HarvestCard.address, chainId: deployment.chainId },
    gameTimeScale: config.GAME_TIME_SCALE,
    voucherTtlSeconds: config.VOUCHER_TTL_SECONDS,
    chainNowSeconds: async () => {
      try {
        return Number((await client.getBlock()).timestamp);
      } catch (cause) {
        throw new AppError("DEPENDENCY_UNAVAILABLE", "Cannot read the chain's clock right now; try again.", { cause });
      }
    },
  });
  // The minting saga moves on as the indexer sees mints and vouchers expire.
  const mintSync = setInterval(() => void crafting.syncMints().catch((error: unknown) => logger.warn({ err: error }, "mint sync failed")), 2_000);
  const app = createApp({
    logger,
    pool,
    ownership,
    checkHealth,
    tokens,
    verifySignature: createSignatureVerifier({ clientFor: (id) => (id === chainId ? client : undefined), timeoutMs: config.SIGNATURE_RPC_TIMEOUT_MS }),
    siwe: siwePolicyFrom(config, chainId),
    limits,
    farm,
    crafting,
    nonceTtlMs: config.NONCE_TTL_SECONDS * 1000,
    sessionLifetimeMs: config.SESSION_TTL_SECONDS * 1000,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS.split(",").map((origin) => origin.trim()).filter(Boolean),
  });
  const server = serve({ fetch: app.fetch, port: config.API_PORT, hostname: config.HOST });
  logger.info({ url: `http://${config.HOST}:${config.API_PORT}`, docs: `http://${config.HOST}:${config.API_PORT}/docs` }, "api listening");
  return async () => {
    clearInterval(mintSync);
    for (const limiter of Object.values(limits)) limiter.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}, { relay: true });

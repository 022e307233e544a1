import { serve } from "@hono/node-server";
import { createPublicClient, http } from "viem";
import { startService } from "@harvest/db/service/start-service";
import { createApp } from "./app.ts";
import { createSignatureVerifier } from "./auth/verify-signature.ts";
import { loadApiConfig } from "./config.ts";
import { createApiRateLimits } from "./rate-limits.ts";
import { siwePolicyFrom } from "./siwe-policy.ts";

// The API process: reads the environment, checks its dependencies, serves until SIGINT/SIGTERM.
await startService("api", loadApiConfig, async ({ config, logger, pool, ownership, checkHealth, tokens, chainId }) => {
  // Smart-contract wallets are checked on the chain the RPC serves; a message naming another chain has no client.
  const client = createPublicClient({ transport: http(config.RPC_URL, { timeout: config.SIGNATURE_RPC_TIMEOUT_MS, retryCount: 0 }) });
  const limits = createApiRateLimits(pool, config.RATE_LIMIT_MULTIPLIER);
  const app = createApp({
    logger,
    pool,
    ownership,
    checkHealth,
    tokens,
    verifySignature: createSignatureVerifier({ clientFor: (id) => (id === chainId ? client : undefined), timeoutMs: config.SIGNATURE_RPC_TIMEOUT_MS }),
    siwe: siwePolicyFrom(config, chainId),
    limits,
    nonceTtlMs: config.NONCE_TTL_SECONDS * 1000,
    sessionLifetimeMs: config.SESSION_TTL_SECONDS * 1000,
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS.split(",").map((origin) => origin.trim()).filter(Boolean),
  });
  const server = serve({ fetch: app.fetch, port: config.API_PORT, hostname: config.HOST });
  logger.info({ url: `http://${config.HOST}:${config.API_PORT}`, docs: `http://${config.HOST}:${config.API_PORT}/docs` }, "api listening");
  return async () => {
    for (const limiter of Object.values(limits)) limiter.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}, { relay: true });

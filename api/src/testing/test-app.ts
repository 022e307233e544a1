import type pg from "pg";
import { createPublicClient, http } from "viem";
import { createLogger } from "@harvest/core/logging/logger";
import { createTokenService } from "@harvest/db/auth/token-service";
import { createHealthCheck } from "@harvest/db/health/check-health";
import { createOwnershipReader } from "@harvest/db/ownership/ownership-reader";
import { createApp, type AppDeps } from "../app.ts";
import { createSignatureVerifier } from "../auth/verify-signature.ts";
import { createApiRateLimits } from "../rate-limits.ts";
import { SIWE_STATEMENT } from "../siwe-policy.ts";

/** The SIWE fields a test app accepts. */
export const TEST_SIWE = { domain: "localhost:3000", origin: "http://localhost:3000" } as const;
export const TEST_TOKEN_SECRET = "test-secret-test-secret-test-secret-0123";

export type TestAppOptions = {
  pool: pg.Pool;
  /** The chain smart-contract wallets are checked on, and its id. */
  rpcUrl: string;
  chainId: number;
  /** Rate limits are scaled by this (default: high enough that tests never meet them). */
  rateLimitMultiplier?: number;
  overrides?: Partial<AppDeps>;
};

/**
 * The API as `index.ts` builds it (real token service, signature checks, rate limits, ownership
 * reader) on a test database and chain, for `app.request()` tests. `stop()` releases its listeners.
 */
export async function createTestApp({ pool, rpcUrl, chainId, rateLimitMultiplier = 1_000, overrides = {} }: TestAppOptions) {
  const tokens = createTokenService({ pool, secret: TEST_TOKEN_SECRET, accessTtlSeconds: 900 });
  await tokens.start();
  const ownership = createOwnershipReader({ pool, viewsSchema: "chain" });
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 2_000, retryCount: 0 }) });
  const limits = createApiRateLimits(pool, rateLimitMultiplier);
  const app = createApp({
    logger: createLogger("api-test", "silent"),
    pool,
    ownership,
    checkHealth: createHealthCheck({ pool, rpcUrl, ownership }),
    tokens,
    verifySignature: createSignatureVerifier({ clientFor: (id) => (id === chainId ? client : undefined), timeoutMs: 2_000 }),
    siwe: { ...TEST_SIWE, chainIds: [chainId], statement: SIWE_STATEMENT },
    limits,
    nonceTtlMs: 300_000,
    sessionLifetimeMs: 86_400_000,
    ...overrides,
  });
  return {
    app,
    tokens,
    ownership,
    async stop() {
      for (const limiter of Object.values(limits)) limiter.stop();
      await tokens.stop();
    },
  };
}

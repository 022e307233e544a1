import type pg from "pg";
import { createPublicClient, http } from "viem";
import { createLogger } from "@harvest/core/logging/logger";
import { createTokenService } from "@harvest/db/auth/token-service";
import { createHealthCheck } from "@harvest/db/health/check-health";
import { createOwnershipReader } from "@harvest/db/ownership/ownership-reader";
import { createApp, type AppDeps } from "../app.ts";
import { createSignatureVerifier } from "../auth/verify-signature.ts";
import { createApiRateLimits } from "../rate-limits.ts";
import { createGameServices } from "../game-services.ts";
import { HARDHAT_ACCOUNT_0_KEY } from "@harvest/core/config/dev-secrets";
import type { Address } from "viem";
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
  /** The card contract vouchers are for (a placeholder when no chain is deployed). */
  card?: { address: Address; chainId: number };
  gameTimeScale?: number;
};

/**
 * The API as `index.ts` builds it (real token service, signature checks, rate limits, ownership
 * reader) on a test database and chain, for `app.request()` tests. `stop()` releases its listeners.
 */
export async function createTestApp({ pool, rpcUrl, chainId, rateLimitMultiplier = 1_000, overrides = {}, card, gameTimeScale = 1 }: TestAppOptions) {
  const tokens = createTokenService({ pool, secret: TEST_TOKEN_SECRET, accessTtlSeconds: 900 });
  await tokens.start();
  const ownership = createOwnershipReader({ pool, viewsSchema: "chain" });
  const client = createPublicClient({ transport: http(rpcUrl, { timeout: 2_000, retryCount: 0 }) });
  const limits = createApiRateLimits(pool, rateLimitMultiplier);
  const services = createGameServices({
    pool,
    ownership,
    serverSeed: "test-seed-0123456789",
    voucherSignerKey: HARDHAT_ACCOUNT_0_KEY,
    card: card ?? { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", chainId },
    gameTimeScale,
    // Tests without a chain price vouchers by the wall clock.
    chainNowSeconds: async () => Number((await client.getBlock().catch(() => ({ timestamp: BigInt(Math.floor(Date.now() / 1000)) }))).timestamp),
  });
  const app = createApp({
    logger: createLogger("api-test", "silent"),
    pool,
    ownership,
    checkHealth: createHealthCheck({ pool, rpcUrl, ownership }),
    tokens,
    verifySignature: createSignatureVerifier({ clientFor: (id) => (id === chainId ? client : undefined), timeoutMs: 2_000 }),
    siwe: { ...TEST_SIWE, chainIds: [chainId], statement: SIWE_STATEMENT },
    limits,
    farm: services.farm,
    crafting: services.crafting,
    decks: services.decks,
    nonceTtlMs: 300_000,
    sessionLifetimeMs: 86_400_000,
    ...overrides,
  });
  return {
    app,
    tokens,
    ownership,
    ...services,
    async stop() {
      for (const limiter of Object.values(limits)) limiter.stop();
      await tokens.stop();
    },
  };
}

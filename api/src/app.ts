import { Scalar } from "@scalar/hono-api-reference";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type pg from "pg";
import { AppError } from "@harvest/core/errors/error-codes";
import type { Logger } from "@harvest/core/logging/logger";
import type { SiwePolicy } from "@harvest/core/auth/siwe-message";
import type { TokenService } from "@harvest/db/auth/token-service";
import type { HealthReport } from "@harvest/db/health/check-health";
import type { OwnershipReader } from "@harvest/db/ownership/ownership-reader";
import type { RateLimiter } from "@harvest/db/rate-limit/rate-limiter";
import type { CraftingService } from "@harvest/db/farm/crafting-service";
import type { FarmService } from "@harvest/db/farm/farm-service";
import { createDeckService, type DeckService } from "@harvest/db/decks/deck-service";
import { verifyAccountSignature, type SignatureVerifier } from "./auth/verify-signature.ts";
import { createErrorHandler, notFound } from "./http/errors.ts";
import { createRouter } from "./http/router.ts";
import { clientIp } from "./middleware/client-ip.ts";
import { rateLimit } from "./middleware/rate-limit.ts";
import { requestId, type RequestIdVariables } from "./middleware/request-id.ts";
import { requestLogger } from "./middleware/request-logger.ts";
import { authRoutes } from "./routes/auth.ts";
import { craftingRoutes } from "./routes/crafting.ts";
import { deckRoutes } from "./routes/decks.ts";
import { farmRoutes } from "./routes/farm.ts";
import { healthRoutes } from "./routes/health.ts";
import { matchRoutes } from "./routes/matches.ts";
import { meRoutes } from "./routes/me.ts";
import { walletTokenRoutes } from "./routes/wallet-tokens.ts";

/** The rate limiters the API applies; each is shared by every instance through its store. */
export type ApiRateLimits = {
  /** Every request, per client IP. */
  apiByIp: RateLimiter;
  /** Authenticated requests, per wallet. */
  apiByWallet: RateLimiter;
  nonceByIp: RateLimiter;
  verifyByIp: RateLimiter;
  verifyByAddress: RateLimiter;
  /** Mint vouchers, per wallet. */
  voucherByWallet: RateLimiter;
};

/** What the API needs from the outside world; `index.ts` builds it from the environment. */
export type AppDeps = {
  logger: Logger;
  pool: pg.Pool;
  ownership: OwnershipReader;
  checkHealth: () => Promise<HealthReport>;
  tokens: TokenService;
  verifySignature: SignatureVerifier;
  siwe: SiwePolicy & { statement: string };
  limits: ApiRateLimits;
  farm: FarmService;
  crafting: CraftingService;
  /** Decks and the starter pack (built from `pool` and `ownership` when not given). */
  decks?: DeckService;
  nonceTtlMs: number;
  sessionLifetimeMs: number;
  trustProxy?: boolean;
  corsOrigins?: string[];
  maxBodyBytes?: number;
  nowMs?: () => number;
};

/** Builds the API as a Hono app, with no I/O of its own: tests call `app.request(...)` on it. */
export function createApp(deps: AppDeps) {
  const { logger, maxBodyBytes = 16 * 1024, trustProxy = false, corsOrigins = [] } = deps;
  const app = createRouter<{ Variables: RequestIdVariables }>();
  app.use(requestId());
  app.use(requestLogger(logger));
  if (corsOrigins.length > 0) app.use(cors({ origin: corsOrigins, allowHeaders: ["Authorization", "Content-Type", "X-Request-Id"], exposeHeaders: ["X-Request-Id", "Retry-After"], maxAge: 600 }));
  app.use(
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new AppError("PAYLOAD_TOO_LARGE", `The request body is over ${maxBodyBytes} bytes.`);
      },
    }),
  );
  app.use(rateLimit(deps.limits.apiByIp, (c) => (c.req.path === "/health" ? null : `api:ip:${clientIp(c, trustProxy)}`)));

  app.route("/", healthRoutes(deps.checkHealth));
  app.route("/", walletTokenRoutes(deps.ownership));
  app.route("/", authRoutes({ ...deps, trustProxy, limits: deps.limits, verifyLocally: verifyAccountSignature }));
  app.route("/", meRoutes({ pool: deps.pool, tokens: deps.tokens, walletLimiter: deps.limits.apiByWallet }));
  app.route("/", farmRoutes({ farm: deps.farm, tokens: deps.tokens, walletLimiter: deps.limits.apiByWallet }));
  // Before the crafting routes: POST /v1/cards/starter-pack answers here, so the crafting routes'
  // /v1/cards/* middleware (auth again, and the voucher limit) does not run for it.
  app.route("/", deckRoutes({ decks: deps.decks ?? createDeckService({ pool: deps.pool, ownership: deps.ownership }), tokens: deps.tokens, walletLimiter: deps.limits.apiByWallet }));
  app.route("/", craftingRoutes({ crafting: deps.crafting, tokens: deps.tokens, walletLimiter: deps.limits.apiByWallet, voucherLimiter: deps.limits.voucherByWallet }));
  app.route("/", matchRoutes({ pool: deps.pool, tokens: deps.tokens, walletLimiter: deps.limits.apiByWallet, ...(deps.nowMs ? { nowMs: deps.nowMs } : {}) }));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Harvest Battles API", version: "0.1.0", description: "Players' API: Sign-In with Ethereum, profiles, ownership of cards and lands." },
  });
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "Harvest Battles API" }));
  app.notFound(notFound);
  app.onError(createErrorHandler(logger));
  return app;
}

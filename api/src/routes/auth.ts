import { createRoute } from "@hono/zod-openapi";
import type pg from "pg";
import { checksumAddress } from "@harvest/core/chain/checksum-address";
import { parseAndCheckSiwe, type SiwePolicy } from "@harvest/core/auth/siwe-message";
import { AppError } from "@harvest/core/errors/error-codes";
import { nonceResponseSchema, refreshRequestSchema, tokenResponseSchema, verifyRequestSchema } from "@harvest/core/protocol/api-schemas";
import { isNonceLive, issueNonce } from "@harvest/db/auth/nonces";
import { openLoginSession } from "@harvest/db/auth/open-login-session";
import { revokeSession, rotateRefreshToken } from "@harvest/db/auth/sessions";
import type { TokenService } from "@harvest/db/auth/token-service";
import type { RateLimiter } from "@harvest/db/rate-limit/rate-limiter";
import type { SignatureVerifier } from "../auth/verify-signature.ts";
import { commonErrors, createRouter, errorResponse } from "../http/router.ts";
import { clientIp } from "../middleware/client-ip.ts";
import { enforce, enforceAll } from "../middleware/rate-limit.ts";
import { requireAuth, type AuthVariables } from "../middleware/require-auth.ts";

export type AuthRouteDeps = {
  pool: pg.Pool;
  tokens: TokenService;
  verifySignature: SignatureVerifier;
  /** Whether the signature is the account's own EIP-191 signature, checked without any I/O. */
  verifyLocally: (address: `0x${string}`, message: string, signature: `0x${string}`) => boolean;
  siwe: SiwePolicy & { statement: string };
  nonceTtlMs: number;
  sessionLifetimeMs: number;
  trustProxy: boolean;
  limits: { nonceByIp: RateLimiter; verifyByIp: RateLimiter; verifyByAddress: RateLimiter };
  nowMs?: () => number;
};

const tokensOk = { 200: { description: "Signed in", content: { "application/json": { schema: tokenResponseSchema } } } };

/** Sign-In with Ethereum (nonce, verify), refresh and logout. */
export function authRoutes(deps: AuthRouteDeps) {
  const { pool, tokens, siwe, limits } = deps;
  const nowMs = deps.nowMs ?? Date.now;
  const router = createRouter<{ Variables: AuthVariables }>();

  const issueTokens = async (session: Parameters<TokenService["issueAccessToken"]>[0], refreshToken: string) => {
    const access = await tokens.issueAccessToken(session);
    return {
      token: access.token,
      expiresAt: access.expiresAt.toISOString(),
      refreshToken,
      sessionExpiresAt: session.expiresAt.toISOString(),
      address: checksumAddress(session.address),
    };
  };

  router.openapi(
    createRoute({
      method: "get",
      path: "/v1/auth/nonce",
      tags: ["auth"],
      summary: "A fresh single-use nonce, and the message fields the server accepts",
      responses: { 200: { description: "A nonce", content: { "application/json": { schema: nonceResponseSchema } } }, ...commonErrors },
    }),
    async (c) => {
      await enforce(c, limits.nonceByIp, `nonce:ip:${clientIp(c, deps.trustProxy)}`);
      const { nonce, expiresAt } = await issueNonce(pool, deps.nonceTtlMs);
      return c.json({ nonce, expiresAt: expiresAt.toISOString(), domain: siwe.domain, uri: siwe.origin, chainId: siwe.chainIds[0]!, statement: siwe.statement }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/v1/auth/verify",
      tags: ["auth"],
      summary: "Sign in with a signed EIP-4361 message; opens a session",
      request: { body: { required: true, content: { "application/json": { schema: verifyRequestSchema } } } },
      responses: { ...tokensOk, 401: errorResponse("The message, nonce or signature is refused (UNAUTHENTICATED; details.reason)"), ...commonErrors },
    }),
    async (c) => {
      const { message, signature } = c.req.valid("json");
      const checked = parseAndCheckSiwe(message, siwe, nowMs());
      // Every attempt counts against its IP, a parsed one against its address too: one round trip.
      const ipCheck = { limiter: limits.verifyByIp, key: `verify:ip:${clientIp(c, deps.trustProxy)}` };
      await enforceAll(c, checked.ok ? [ipCheck, { limiter: limits.verifyByAddress, key: `verify:address:${checked.fields.address.toLowerCase()}` }] : [ipCheck]);
      if (!checked.ok) {
        if (checked.code === "MALFORMED") throw new AppError("VALIDATION_FAILED", checked.message, { details: { reason: checked.code } });
        throw new AppError("UNAUTHENTICATED", checked.message, { details: { reason: checked.code } });
      }
      const { address, chainId, nonce } = checked.fields;
      const nonceRefused = () => new AppError("UNAUTHENTICATED", "The nonce was not issued by this service, has expired, or was used.", { details: { reason: "NONCE_REFUSED" } });
      // An account's signature is checked locally at once; anything else may cost a call to the chain,
      // so the nonce is checked first (it is consumed only after the signature verifies, below).
      if (!deps.verifyLocally(address, message, signature as `0x${string}`)) {
        if (!(await isNonceLive(pool, nonce))) throw nonceRefused();
        if (!(await deps.verifySignature({ address, message, signature: signature as `0x${string}`, chainId }))) {
          throw new AppError("UNAUTHENTICATED", "The signature is not the address's.", { details: { reason: "BAD_SIGNATURE" } });
        }
      }
      // The nonce is consumed only now, after the signature has verified, in the statement that opens the
      // session: of concurrent replays, exactly one finds it.
      const opened = await openLoginSession(pool, { nonce, address, lifetimeMs: deps.sessionLifetimeMs });
      if (!opened) throw nonceRefused();
      return c.json(await issueTokens(opened.session, opened.refreshToken), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "post",
      path: "/v1/auth/refresh",
      tags: ["auth"],
      summary: "Exchange a refresh token for a new access token and refresh token",
      request: { body: { required: true, content: { "application/json": { schema: refreshRequestSchema } } } },
      responses: { ...tokensOk, 401: errorResponse("Unknown, used or revoked refresh token"), ...commonErrors },
    }),
    async (c) => {
      await enforce(c, limits.verifyByIp, `refresh:ip:${clientIp(c, deps.trustProxy)}`);
      const rotated = await rotateRefreshToken(pool, c.req.valid("json").refreshToken);
      if (!rotated) throw new AppError("UNAUTHENTICATED", "The refresh token is unknown, used, or its session has ended.");
      return c.json(await issueTokens(rotated.session, rotated.refreshToken), 200);
    },
  );

  router.use("/v1/auth/logout", requireAuth(tokens));
  router.openapi(
    createRoute({
      method: "post",
      path: "/v1/auth/logout",
      tags: ["auth"],
      summary: "End the current session: its tokens stop working at once, here and on the game server",
      security: [{ bearer: [] }],
      responses: { 204: { description: "Signed out" }, 401: errorResponse("No or bad token"), ...commonErrors },
    }),
    async (c) => {
      const { sessionId, playerId } = c.get("principal");
      await revokeSession(pool, sessionId, playerId);
      return c.body(null, 204);
    },
  );

  return router;
}

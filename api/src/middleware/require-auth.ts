import type { MiddlewareHandler } from "hono";
import { AppError } from "@harvest/core/errors/error-codes";
import type { Principal, TokenService } from "@harvest/db/auth/token-service";

/** Variables set on the context of an authenticated request. */
export type AuthVariables = { principal: Principal };

/** Requires `Authorization: Bearer <access token>` from a live session; sets `principal`. */
export function requireAuth(tokens: TokenService): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async function requireAuthMiddleware(c, next) {
    const header = c.req.header("authorization");
    const match = header ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header) : null;
    if (!match) throw new AppError("UNAUTHENTICATED", "Send an access token: Authorization: Bearer <token>.");
    c.set("principal", await tokens.verifyAccessToken(match[1]!));
    await next();
  };
}

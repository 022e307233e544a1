import type { IncomingMessage } from "node:http";
import type { Principal, TokenService } from "@harvest/db/auth/token-service";
import { AppError } from "@harvest/core/errors/error-codes";

/** Why an upgrade was refused, as the HTTP answer to it. */
export type AdmissionRefusal = { status: 401 | 403 | 503; code: string; message: string };

/**
 * Decides whether a WebSocket upgrade may proceed: a browser's `Origin` must be on the allow-list
 * (clients that send none, such as game engines, pass this check), and an access token from the token
 * service must be live. The token comes in `Authorization: Bearer` or, for browsers, which cannot set
 * headers on a WebSocket, the `access_token` query parameter.
 */
export async function admit(request: IncomingMessage, tokens: TokenService, allowedOrigins: readonly string[]): Promise<{ ok: true; principal: Principal } | { ok: false; refusal: AdmissionRefusal }> {
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedOrigins.includes(origin)) {
    return { ok: false, refusal: { status: 403, code: "FORBIDDEN", message: `origin ${origin} is not allowed` } };
  }
  const token = tokenOf(request);
  if (!token) return { ok: false, refusal: { status: 401, code: "UNAUTHENTICATED", message: "send an access token" } };
  try {
    return { ok: true, principal: await tokens.verifyAccessToken(token) };
  } catch (error) {
    if (error instanceof AppError && error.code === "DEPENDENCY_UNAVAILABLE") {
      return { ok: false, refusal: { status: 503, code: error.code, message: error.message } };
    }
    return { ok: false, refusal: { status: 401, code: "UNAUTHENTICATED", message: (error as Error).message } };
  }
}

function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const bearer = header ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header)?.[1] : undefined;
  if (bearer) return bearer;
  const url = new URL(request.url ?? "/", "http://localhost");
  return url.searchParams.get("access_token") ?? undefined;
}

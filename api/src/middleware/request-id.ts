import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";

/** Variables this middleware sets on the context. */
export type RequestIdVariables = { requestId: string };

const acceptable = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives every request an id: the caller's `X-Request-Id` when it is short and plain, else a new
 * UUID. It is echoed in the response header, in error bodies and in every log line.
 */
export function requestId(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async function requestIdMiddleware(c, next) {
    const given = c.req.header("x-request-id");
    const id = given && acceptable.test(given) ? given : randomUUID();
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    await next();
  };
}

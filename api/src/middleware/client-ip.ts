import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";

/**
 * The client's IP: the socket's peer, or with `trustProxy` the first X-Forwarded-For address (only
 * behind a proxy that sets it; otherwise clients could pick their own rate-limit key).
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // No socket: an in-process request (tests call app.request()).
    return "unknown";
  }
}

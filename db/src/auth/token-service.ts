import { createSigner, createVerifier } from "fast-jwt";
import pg from "pg";
import { AppError } from "@harvest/core/errors/error-codes";
import { SESSION_REVOKED_CHANNEL, isSessionLive, revokedLiveSessionIds, type Session } from "./sessions.ts";

/** Who is asking: the player, their wallet, and the session the token belongs to. */
export type Principal = { playerId: string; address: string; sessionId: string };

export type TokenServiceOptions = {
  pool: pg.Pool;
  /** The HMAC key (HS256); at least 32 characters. From the environment, never the repository. */
  secret: string;
  /** Lifetime of an access token (15 minutes by default); a refresh gets a new one. */
  accessTtlSeconds?: number;
  issuer?: string;
  /** Current time in ms; injectable for tests. */
  nowMs?: () => number;
  onListenerError?: (error: Error) => void;
};

/**
 * Issues and verifies access tokens (JWT, HS256) for the API and the game server. A token names its
 * session; revoking the session ends the token at once everywhere: every instance LISTENs on
 * {@link SESSION_REVOKED_CHANNEL} and keeps the revoked ids in memory, so verifying a token costs no
 * query. While that listener is down, each verification asks the database instead (fail closed).
 */
export function createTokenService({ pool, secret, accessTtlSeconds = 900, issuer = "harvest-battles", nowMs = Date.now, onListenerError }: TokenServiceOptions) {
  if (secret.length < 32) throw new Error("the token signing secret must be at least 32 characters");
  // fast-jwt signs and checks with node:crypto (WebCrypto costs ~100 µs a token, paid by every
  // authenticated request). Only HS256 is accepted; times are checked below against our own clock, on
  // every call, so its cache of verified tokens (keyed by the whole token) only saves the signature
  // check and the parsing of a token a player keeps sending; revocation is checked on every call too.
  const signToken = createSigner({ key: secret, algorithm: "HS256", noTimestamp: true });
  const verifyToken = createVerifier({ key: secret, algorithms: ["HS256"], ignoreExpiration: true, ignoreNotBefore: true, cache: 10_000, complete: true });
  /** The claims of a token we signed, with nothing in its header we would have to understand; else null. */
  const decodeToken = (token: string): Record<string, unknown> | null => {
    try {
      const { header, payload } = verifyToken(token) as { header: Record<string, unknown>; payload: unknown };
      if ("crit" in header || (header.typ !== undefined && header.typ !== "JWT")) return null;
      return typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const revoked = new Set<string>();
  const revokedListeners = new Set<(sessionId: string) => void>();
  let listener: pg.Client | undefined;
  let listening = false;
  let stopped = false;

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: (pool.options as { connectionString?: string }).connectionString, application_name: "harvest-revocations" });
    client.on("notification", (message) => {
      if (!message.payload) return;
      revoked.add(message.payload);
      for (const callback of revokedListeners) callback(message.payload);
    });
    client.on("error", (error) => {
      listening = false;
      onListenerError?.(error);
      if (!stopped) setTimeout(() => void listen().catch(() => {}), 1_000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${SESSION_REVOKED_CHANNEL}`);
    // Revocations made while we were not listening.
    for (const id of await revokedLiveSessionIds(pool)) revoked.add(id);
    listener = client;
    listening = true;
  }

  return {
    /** Starts listening for revocations; call once at start-up. */
    start: listen,

    async stop(): Promise<void> {
      stopped = true;
      listening = false;
      await listener?.end().catch(() => {});
    },

    /** Calls `callback` with the id of every session revoked from now on (the game server closes its sockets). */
    onRevoked(callback: (sessionId: string) => void): () => void {
      revokedListeners.add(callback);
      return () => revokedListeners.delete(callback);
    },

    /** An access token for a session; it never outlives the session. */
    async issueAccessToken(session: Session): Promise<{ token: string; expiresAt: Date }> {
      const now = Math.floor(nowMs() / 1000);
      const exp = Math.min(now + accessTtlSeconds, Math.floor(session.expiresAt.getTime() / 1000));
      const token = signToken({ sub: session.playerId, sid: session.id, adr: session.address, iss: issuer, iat: now, exp });
      return { token, expiresAt: new Date(exp * 1000) };
    },

    /** Checks a token's signature, expiry and session; throws UNAUTHENTICATED when any fails. */
    async verifyAccessToken(token: string): Promise<Principal> {
      const claims = decodeToken(token);
      const { sub, sid, adr, exp, iss, iat, nbf } = claims ?? ({} as Record<string, unknown>);
      const now = nowMs();
      const isTime = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
      if (
        !claims ||
        iss !== issuer ||
        typeof sub !== "string" ||
        typeof sid !== "string" ||
        typeof adr !== "string" ||
        !isTime(exp) ||
        exp * 1000 <= now ||
        (iat !== undefined && (!isTime(iat) || iat > Math.floor(now / 1000))) ||
        (nbf !== undefined && (!isTime(nbf) || nbf * 1000 > now))
      ) {
        throw new AppError("UNAUTHENTICATED", "The access token is invalid or expired.");
      }
      const live = listening ? !revoked.has(sid) : await isSessionLive(pool, sid).catch((cause: unknown) => {
        throw new AppError("DEPENDENCY_UNAVAILABLE", "Cannot check the session right now.", { cause });
      });
      if (!live) throw new AppError("UNAUTHENTICATED", "The session has ended; sign in again.");
      return { playerId: sub, address: adr, sessionId: sid };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

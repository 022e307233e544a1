import pg from "pg";
import { sign, verify } from "hono/jwt";
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
      const token = await sign({ sub: session.playerId, sid: session.id, adr: session.address, iss: issuer, iat: now, exp }, secret, "HS256");
      return { token, expiresAt: new Date(exp * 1000) };
    },

    /** Checks a token's signature, expiry and session; throws UNAUTHENTICATED when any fails. */
    async verifyAccessToken(token: string): Promise<Principal> {
      let claims: Record<string, unknown>;
      try {
        claims = (await verify(token, secret, { alg: "HS256", iss: issuer })) as Record<string, unknown>;
      } catch (cause) {
        throw new AppError("UNAUTHENTICATED", "The access token is invalid or expired.", { cause });
      }
      const { sub, sid, adr, exp } = claims;
      if (typeof sub !== "string" || typeof sid !== "string" || typeof adr !== "string" || typeof exp !== "number" || exp * 1000 <= nowMs()) {
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

import { Hono } from "hono";
import type pg from "pg";
import { AppError } from "@harvest/core/errors/error-codes";
import type { TokenService } from "@harvest/db/auth/token-service";
import { loadBattle } from "@harvest/db/battles/battle-store";
import { replayFor } from "@harvest/db/battles/match-history";
import type { HealthReport } from "@harvest/db/health/check-health";

/** What the battle routes need; without it they are not served. */
export type GameServerHttpDeps = { pool: pg.Pool; tokens: TokenService };

/**
 * The game server's HTTP side: `GET /health` beside the WebSocket endpoint, and
 * `GET /v1/battles/:battleId/replay` for the players of a battle.
 */
export function createGameServerHttp(checkHealth: () => Promise<HealthReport>, deps?: GameServerHttpDeps) {
  const app = new Hono();
  app.get("/health", async (c) => {
    const report = await checkHealth();
    return c.json(report, report.ok ? 200 : 503);
  });

  if (deps !== undefined) {
    // What replayBattle needs: the creation params and the accepted actions in order, with the seed
    // and the other player's deck only once the battle has ended (replayFor; the API shares the rule).
    app.get("/v1/battles/:battleId/replay", async (c) => {
      const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(c.req.header("authorization") ?? "")?.[1];
      if (token === undefined) return c.json({ error: { code: "UNAUTHENTICATED", message: "send an access token" } }, 401);
      let playerId: string;
      try {
        playerId = (await deps.tokens.verifyAccessToken(token)).playerId;
      } catch (error) {
        if (error instanceof AppError && error.code === "DEPENDENCY_UNAVAILABLE") return c.json({ error: { code: error.code, message: error.message } }, 503);
        return c.json({ error: { code: "UNAUTHENTICATED", message: (error as Error).message } }, 401);
      }
      const battle = await loadBattle(deps.pool, c.req.param("battleId"));
      if (battle === null) return c.json({ error: { code: "NOT_FOUND", message: "no such battle" } }, 404);
      const replay = replayFor(battle, playerId);
      if (replay === null) return c.json({ error: { code: "FORBIDDEN", message: "only its players may see this battle" } }, 403);
      c.header("Cache-Control", "no-store");
      return c.json(replay);
    });
  }

  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}.` } }, 404));
  return app;
}

import { createRoute } from "@hono/zod-openapi";
import type pg from "pg";
import { z } from "zod";
import { AppError } from "@harvest/core/errors/error-codes";
import { battleIdSchema, leaderboardQuerySchema, leaderboardSchema, matchListQuerySchema, matchListSchema, matchSummarySchema, playerRatingSchema, replaySchema, seasonParamSchema } from "@harvest/core/protocol/match-schemas";
import type { TokenService } from "@harvest/db/auth/token-service";
import { loadBattle } from "@harvest/db/battles/battle-store";
import { getMatch, leaderboardPage, listMatches, playerRating, replayFor, type MatchSummary } from "@harvest/db/battles/match-history";
import { seasonOf } from "@harvest/db/matchmaking/settle-match";
import type { RateLimiter } from "@harvest/db/rate-limit/rate-limiter";
import { commonErrors, createRouter, errorResponse } from "../http/router.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { requireAuth, type AuthVariables } from "../middleware/require-auth.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = { 401: errorResponse("No or bad token (UNAUTHENTICATED)"), ...commonErrors };
const matchErrors = { ...errors, 404: errorResponse("No such battle of yours (NOT_FOUND): another player's battle is the same 404") };
const battleParams = z.object({ battleId: battleIdSchema });

const toBody = (match: MatchSummary) => ({ ...match, createdAt: match.createdAt.toISOString(), endedAt: match.endedAt?.toISOString() ?? null });

export type MatchRoutesDeps = { pool: pg.Pool; tokens: TokenService; walletLimiter: RateLimiter; nowMs?: () => number };

/**
 * The signed-in player's battles and their replays, the seasonal leaderboards and the player's rating.
 * All signed in; a battle is readable by its players only (anyone else gets the 404 of a battle that
 * does not exist).
 */
export function matchRoutes({ pool, tokens, walletLimiter, nowMs = Date.now }: MatchRoutesDeps) {
  const router = createRouter<{ Variables: AuthVariables }>();
  const auth = [requireAuth(tokens), rateLimit(walletLimiter, (c) => `wallet:${(c.get("principal") as AuthVariables["principal"]).address}`)] as const;
  for (const path of ["/v1/matches", "/v1/matches/*", "/v1/leaderboards/*", "/v1/me/rating"]) router.use(path, ...auth);
  const me = (c: { get(key: "principal"): AuthVariables["principal"] }) => c.get("principal").playerId;
  const security = [{ bearer: [] }];

  router.openapi(
    createRoute({ method: "get", path: "/v1/matches", tags: ["matches"], summary: "Your battles, practice and matches, newest first", security, request: { query: matchListQuerySchema }, responses: { 200: json(matchListSchema, "A page of battles"), ...errors } }),
    async (c) => {
      const page = await listMatches(pool, me(c), c.req.valid("query"));
      return c.json({ matches: page.matches.map(toBody), nextCursor: page.nextCursor }, 200);
    },
  );
  router.openapi(
    createRoute({ method: "get", path: "/v1/matches/{battleId}", tags: ["matches"], summary: "One of your battles", security, request: { params: battleParams }, responses: { 200: json(matchSummarySchema, "The battle, from your side"), ...matchErrors } }),
    async (c) => {
      const match = await getMatch(pool, me(c), c.req.valid("param").battleId);
      if (match === null) throw new AppError("NOT_FOUND", "No such battle of yours.");
      return c.json(toBody(match), 200);
    },
  );
  router.openapi(
    createRoute({
      method: "get",
      path: "/v1/matches/{battleId}/replay",
      tags: ["matches"],
      summary: "What replayBattle needs: params and actions in order (the seed and the other deck only once the battle has ended)",
      security,
      request: { params: battleParams },
      responses: { 200: json(replaySchema, "The replay"), ...matchErrors },
    }),
    async (c) => {
      const battle = await loadBattle(pool, c.req.valid("param").battleId);
      const replay = battle === null ? null : replayFor(battle, me(c));
      if (replay === null) throw new AppError("NOT_FOUND", "No such battle of yours.");
      c.header("Cache-Control", "no-store");
      // The engine's types are deeply readonly; as JSON they are exactly the schema's.
      return c.json(replay as z.infer<typeof replaySchema>, 200);
    },
  );
  router.openapi(
    createRoute({
      method: "get",
      path: "/v1/leaderboards/{season}",
      tags: ["matches"],
      summary: "A season's ranked leaderboard, highest rating first",
      security,
      request: { params: z.object({ season: seasonParamSchema }), query: leaderboardQuerySchema },
      responses: { 200: json(leaderboardSchema, "A page of the leaderboard"), ...errors },
    }),
    async (c) => {
      const { season } = c.req.valid("param");
      const resolved = season === "current" ? seasonOf(new Date(nowMs())) : season;
      return c.json(await leaderboardPage(pool, resolved, c.req.valid("query")), 200);
    },
  );
  router.openapi(
    createRoute({ method: "get", path: "/v1/me/rating", tags: ["matches"], summary: "Your Glicko-2 rating (the initial one before any ranked match) and this season's standing", security, responses: { 200: json(playerRatingSchema, "Your rating"), ...errors } }),
    async (c) => c.json(await playerRating(pool, me(c), seasonOf(new Date(nowMs()))), 200),
  );
  return router;
}

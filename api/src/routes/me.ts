import { createRoute } from "@hono/zod-openapi";
import type pg from "pg";
import { checksumAddress } from "@harvest/core/chain/checksum-address";
import { AppError } from "@harvest/core/errors/error-codes";
import { playerSchema, updateMeRequestSchema } from "@harvest/core/protocol/api-schemas";
import { getPlayer, setDisplayName, type Player } from "@harvest/db/players/players";
import type { TokenService } from "@harvest/db/auth/token-service";
import type { RateLimiter } from "@harvest/db/rate-limit/rate-limiter";
import { commonErrors, createRouter, errorResponse } from "../http/router.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { requireAuth, type AuthVariables } from "../middleware/require-auth.ts";

const toBody = (player: Player) => ({
  id: player.id,
  address: checksumAddress(player.address),
  displayName: player.displayName,
  createdAt: player.createdAt.toISOString(),
});

const playerOk = { 200: { description: "The signed-in player", content: { "application/json": { schema: playerSchema } } } };
const authErrors = { 401: errorResponse("No or bad token (UNAUTHENTICATED)"), ...commonErrors };

/** The signed-in player's own profile. There is no route to another player's: ids never come from the client. */
export function meRoutes({ pool, tokens, walletLimiter }: { pool: pg.Pool; tokens: TokenService; walletLimiter: RateLimiter }) {
  const router = createRouter<{ Variables: AuthVariables }>();
  router.use("/v1/me", requireAuth(tokens), rateLimit(walletLimiter, (c) => `wallet:${(c.get("principal") as AuthVariables["principal"]).address}`));

  router.openapi(
    createRoute({ method: "get", path: "/v1/me", tags: ["players"], summary: "The signed-in player", security: [{ bearer: [] }], responses: { ...playerOk, ...authErrors } }),
    async (c) => {
      const player = await getPlayer(pool, c.get("principal").playerId);
      if (!player) throw new AppError("UNAUTHENTICATED", "The player of this session no longer exists.");
      return c.json(toBody(player), 200);
    },
  );

  router.openapi(
    createRoute({
      method: "patch",
      path: "/v1/me",
      tags: ["players"],
      summary: "Change the display name (unique without regard to case)",
      security: [{ bearer: [] }],
      request: { body: { required: true, content: { "application/json": { schema: updateMeRequestSchema } } } },
      responses: { ...playerOk, 409: errorResponse("The display name is taken (CONFLICT)"), ...authErrors },
    }),
    async (c) => {
      const result = await setDisplayName(pool, c.get("principal").playerId, c.req.valid("json").displayName);
      if (result === "taken") throw new AppError("CONFLICT", "That display name is taken.", { details: { field: "displayName" } });
      if (!result) throw new AppError("UNAUTHENTICATED", "The player of this session no longer exists.");
      return c.json(toBody(result), 200);
    },
  );
  return router;
}

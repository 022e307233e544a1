import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import {
  buySeedsRequestSchema,
  buySeedsResponseSchema,
  clearResponseSchema,
  farmViewSchema,
  harvestResponseSchema,
  inventorySchema,
  plantRequestSchema,
  plantResponseSchema,
  plotIdSchema,
  sellRequestSchema,
  sellResponseSchema,
} from "@harvest/core/protocol/farm-schemas";
import type { TokenService } from "@harvest/db/auth/token-service";
import type { FarmService } from "@harvest/db/farm/farm-service";
import type { RateLimiter } from "@harvest/db/rate-limit/rate-limiter";
import { commonErrors, createRouter, errorResponse } from "../http/router.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { requireAuth, type AuthVariables } from "../middleware/require-auth.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const errors = {
  401: errorResponse("No or bad token"),
  403: errorResponse("Not a plot you may use now (FORBIDDEN)"),
  404: errorResponse("No such seed (NOT_FOUND)"),
  409: errorResponse("Someone was faster (CONFLICT)"),
  422: errorResponse("A game rule refuses it (RULE_VIOLATION; details.reason)"),
  ...commonErrors,
};
const plotParams = z.object({ plotId: plotIdSchema });

/** The farm, the inventory and the vendor: all per player, all signed in. */
export function farmRoutes({ farm, tokens, walletLimiter }: { farm: FarmService; tokens: TokenService; walletLimiter: RateLimiter }) {
  const router = createRouter<{ Variables: AuthVariables }>();
  const auth = [requireAuth(tokens), rateLimit(walletLimiter, (c) => `wallet:${(c.get("principal") as AuthVariables["principal"]).address}`)] as const;
  for (const path of ["/v1/farm", "/v1/farm/*", "/v1/inventory", "/v1/market/*"]) router.use(path, ...auth);
  const actor = (c: { get(key: "principal"): AuthVariables["principal"] }) => ({ playerId: c.get("principal").playerId, address: c.get("principal").address });
  const security = [{ bearer: [] }];

  router.openapi(
    createRoute({ method: "get", path: "/v1/farm", tags: ["farm"], summary: "Every plot you may use now, what grows there and when it is ready", security, responses: { 200: json(farmViewSchema, "The farm"), ...errors } }),
    async (c) => c.json(await farm.view(actor(c)), 200),
  );
  router.openapi(
    createRoute({ method: "post", path: "/v1/farm/plots/{plotId}/plant", tags: ["farm"], summary: "Plant one of your seeds on an empty plot", security, request: { params: plotParams, ...body(plantRequestSchema) }, responses: { 200: json(plantResponseSchema, "Planted"), ...errors } }),
    async (c) => c.json(await farm.plantSeed(actor(c), c.req.valid("param").plotId, c.req.valid("json").seedId), 200),
  );
  router.openapi(
    createRoute({ method: "post", path: "/v1/farm/plots/{plotId}/harvest", tags: ["farm"], summary: "Harvest a ready crop: resources, and sometimes new seeds", security, request: { params: plotParams }, responses: { 200: json(harvestResponseSchema, "Harvested"), ...errors } }),
    async (c) => c.json(await farm.harvestPlot(actor(c), c.req.valid("param").plotId), 200),
  );
  router.openapi(
    createRoute({ method: "post", path: "/v1/farm/plots/{plotId}/clear", tags: ["farm"], summary: "Clear a plot (a former renter's crop is settled for them by the lease rule)", security, request: { params: plotParams }, responses: { 200: json(clearResponseSchema, "Cleared"), ...errors } }),
    async (c) => c.json(await farm.clearPlot(actor(c), c.req.valid("param").plotId), 200),
  );
  router.openapi(
    createRoute({ method: "get", path: "/v1/inventory", tags: ["farm"], summary: "Your coins, resources and seeds", security, responses: { 200: json(inventorySchema, "The inventory"), ...errors } }),
    async (c) => c.json(await farm.inventory(actor(c)), 200),
  );
  router.openapi(
    createRoute({ method: "post", path: "/v1/market/sell", tags: ["market"], summary: "Sell resources to the vendor (the price falls with what you sold this hour)", security, request: body(sellRequestSchema), responses: { 200: json(sellResponseSchema, "Sold"), ...errors } }),
    async (c) => {
      const { kind, quality, quantity } = c.req.valid("json");
      return c.json(await farm.sell(actor(c), kind, quality, quantity), 200);
    },
  );
  router.openapi(
    createRoute({ method: "post", path: "/v1/market/seeds", tags: ["market"], summary: "Buy basic seeds from the vendor", security, request: body(buySeedsRequestSchema), responses: { 200: json(buySeedsResponseSchema, "Bought"), ...errors } }),
    async (c) => {
      const { crop, quantity } = c.req.valid("json");
      return c.json(await farm.buySeeds(actor(c), crop, quantity), 200);
    },
  );
  return router;
}

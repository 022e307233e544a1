import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { recipes } from "@harvest/core/crafting/recipes";
import { cardSchema, craftRequestSchema, idSchema, voucherResponseSchema } from "@harvest/core/protocol/farm-schemas";
import type { TokenService } from "@harvest/db/auth/token-service";
import type { CraftingService } from "@harvest/db/farm/crafting-service";
import type { RateLimiter } from "@harvest/db/rate-limit/rate-limiter";
import { commonErrors, createRouter, errorResponse } from "../http/router.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { requireAuth, type AuthVariables } from "../middleware/require-auth.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = {
  401: errorResponse("No or bad token"),
  403: errorResponse("The recipe needs a Workshop land or a base card you may use now (FORBIDDEN)"),
  404: errorResponse("No such recipe or card of yours (NOT_FOUND)"),
  409: errorResponse("The card is minted already (CONFLICT)"),
  422: errorResponse("A game rule refuses it (RULE_VIOLATION; details.reason)"),
  ...commonErrors,
};

/** Recipes, crafting, your cards and mint vouchers. */
export function craftingRoutes({ crafting, tokens, walletLimiter, voucherLimiter }: { crafting: CraftingService; tokens: TokenService; walletLimiter: RateLimiter; voucherLimiter: RateLimiter }) {
  const router = createRouter<{ Variables: AuthVariables }>();
  const walletKey = (c: { get(key: "principal"): AuthVariables["principal"] }) => `wallet:${c.get("principal").address}`;
  for (const path of ["/v1/crafts", "/v1/cards", "/v1/cards/*"]) router.use(path, requireAuth(tokens), rateLimit(walletLimiter, (c) => walletKey(c as never)));
  router.use("/v1/cards/*", rateLimit(voucherLimiter, (c) => `voucher:${walletKey(c as never)}`));
  const actor = (c: { get(key: "principal"): AuthVariables["principal"] }) => ({ playerId: c.get("principal").playerId, address: c.get("principal").address });
  const security = [{ bearer: [] }];

  router.openapi(
    createRoute({ method: "get", path: "/v1/recipes", tags: ["crafting"], summary: "Every recipe: inputs, catalyst, requirement", responses: { 200: json(z.record(z.string(), z.unknown()), "Recipes by key") } }),
    (c) => c.json(recipes as Record<string, unknown>, 200),
  );
  router.openapi(
    createRoute({ method: "post", path: "/v1/crafts", tags: ["crafting"], summary: "Craft a card from a recipe and your resources", security, request: { body: { required: true, content: { "application/json": { schema: craftRequestSchema } } } }, responses: { 200: json(cardSchema, "The new card (off-chain)"), ...errors } }),
    async (c) => {
      const { recipe, inputs } = c.req.valid("json");
      return c.json(await crafting.craftCard(actor(c), recipe, inputs as never), 200);
    },
  );
  router.openapi(
    createRoute({ method: "get", path: "/v1/cards", tags: ["crafting"], summary: "Your off-chain cards, and the minted cards you may use now", security, responses: { 200: json(z.array(cardSchema), "Cards"), ...errors } }),
    async (c) => c.json(await crafting.listCards(actor(c)), 200),
  );
  router.openapi(
    createRoute({ method: "post", path: "/v1/cards/{cardId}/voucher", tags: ["crafting"], summary: "A signed voucher to mint one of your cards (once per card while it is live)", security, request: { params: z.object({ cardId: idSchema }) }, responses: { 200: json(voucherResponseSchema, "The voucher"), ...errors } }),
    async (c) => c.json(await crafting.issueVoucher(actor(c), c.req.valid("param").cardId), 200),
  );
  return router;
}

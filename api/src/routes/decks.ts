import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { createDeckRequestSchema, deckDetailSchema, deckIdSchema, deckListSchema, deckSchema, starterPackResponseSchema, updateDeckRequestSchema } from "@harvest/core/protocol/deck-schemas";
import type { TokenService } from "@harvest/db/auth/token-service";
import type { DeckService } from "@harvest/db/decks/deck-service";
import type { RateLimiter } from "@harvest/db/rate-limit/rate-limiter";
import { commonErrors, createRouter, errorResponse } from "../http/router.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { requireAuth, type AuthVariables } from "../middleware/require-auth.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const errors = {
  401: errorResponse("No or bad token"),
  404: errorResponse("No such deck of yours (NOT_FOUND)"),
  409: errorResponse("A deck of that name exists, or the starter pack was claimed already (CONFLICT)"),
  422: errorResponse("A rule refuses it (RULE_VIOLATION; details.reason CARDS_NOT_USABLE with details.cardIds, INVALID_DECK with details.message, or TOO_MANY_DECKS)"),
  ...commonErrors,
};
const deckParams = z.object({ deckId: deckIdSchema });

/** Decks of 20 to 30 cards the player may use now, and the starter pack. All signed in, all the player's own. */
export function deckRoutes({ decks, tokens, walletLimiter }: { decks: DeckService; tokens: TokenService; walletLimiter: RateLimiter }) {
  const router = createRouter<{ Variables: AuthVariables }>();
  const auth = [requireAuth(tokens), rateLimit(walletLimiter, (c) => `wallet:${(c.get("principal") as AuthVariables["principal"]).address}`)] as const;
  for (const path of ["/v1/decks", "/v1/decks/*", "/v1/cards/starter-pack"]) router.use(path, ...auth);
  const actor = (c: { get(key: "principal"): AuthVariables["principal"] }) => ({ playerId: c.get("principal").playerId, address: c.get("principal").address });
  const security = [{ bearer: [] }];

  router.openapi(
    createRoute({ method: "get", path: "/v1/decks", tags: ["decks"], summary: "Your decks", security, responses: { 200: json(deckListSchema, "Decks, oldest first"), ...errors } }),
    async (c) => c.json(await decks.list(actor(c)), 200),
  );
  router.openapi(
    createRoute({ method: "post", path: "/v1/decks", tags: ["decks"], summary: "Save a deck of 20 to 30 cards you may use now (at most 3 of a recipe)", security, request: body(createDeckRequestSchema), responses: { 201: json(deckSchema, "The new deck"), ...errors } }),
    async (c) => c.json(await decks.create(actor(c), c.req.valid("json")), 201),
  );
  router.openapi(
    createRoute({ method: "get", path: "/v1/decks/{deckId}", tags: ["decks"], summary: "One of your decks, with its cards as battles play them", security, request: { params: deckParams }, responses: { 200: json(deckDetailSchema, "The deck"), ...errors } }),
    async (c) => c.json(await decks.get(actor(c), c.req.valid("param").deckId), 200),
  );
  router.openapi(
    createRoute({ method: "patch", path: "/v1/decks/{deckId}", tags: ["decks"], summary: "Rename a deck and/or give it new cards (checked as on save)", security, request: { params: deckParams, ...body(updateDeckRequestSchema) }, responses: { 200: json(deckSchema, "The deck"), ...errors } }),
    async (c) => c.json(await decks.update(actor(c), c.req.valid("param").deckId, c.req.valid("json")), 200),
  );
  router.openapi(
    createRoute({ method: "delete", path: "/v1/decks/{deckId}", tags: ["decks"], summary: "Delete a deck (its cards stay yours)", security, request: { params: deckParams }, responses: { 204: { description: "Deleted" }, ...errors } }),
    async (c) => {
      await decks.remove(actor(c), c.req.valid("param").deckId);
      return c.body(null, 204);
    },
  );
  router.openapi(
    createRoute({ method: "post", path: "/v1/cards/starter-pack", tags: ["decks"], summary: "Claim the starter pack, once: 20 cards (never mintable) and a deck of them", security, responses: { 201: json(starterPackResponseSchema, "The cards and the Starter deck"), ...errors } }),
    async (c) => c.json(await decks.claimStarterPack(actor(c)), 201),
  );
  return router;
}

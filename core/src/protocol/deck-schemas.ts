import { z } from "zod";
import { battleRules } from "../battle/rules.ts";
import { cardSchema, idSchema } from "./farm-schemas.ts";

// Request and response shapes of the deck and starter-pack routes.

/** Most decks one player may keep. */
export const MAX_DECKS_PER_PLAYER = 20;

export const deckIdSchema = z.uuid().meta({ example: "5f0c6a1e-3b7d-4c2e-9a51-0d6f2b8e4c11" });

export const deckNameSchema = z.string().trim().min(1).max(40).meta({ example: "Sunflower rush" });

/** The cards of a deck, by id; the deck rules (size, copies) are checked by the service, which says why. */
export const deckCardIdsSchema = z
  .array(idSchema)
  .max(battleRules.maxDeckSize * 2)
  .meta({ description: `Ids of ${battleRules.minDeckSize} to ${battleRules.maxDeckSize} cards you may use now (GET /v1/cards), at most ${battleRules.maxCopiesPerCardKey} of one recipe` });

export const createDeckRequestSchema = z.object({ name: deckNameSchema, cardIds: deckCardIdsSchema }).strict().meta({ id: "CreateDeckRequest" });

/** A new name, new cards, or both: as a union, so that the document itself says an empty change is refused. */
export const updateDeckRequestSchema = z
  .union([z.object({ name: deckNameSchema, cardIds: deckCardIdsSchema.optional() }).strict(), z.object({ cardIds: deckCardIdsSchema }).strict()])
  .meta({ id: "UpdateDeckRequest", description: "A new name, new cardIds, or both" });

export const deckSchema = z
  .object({
    id: deckIdSchema,
    name: z.string(),
    cardIds: z.array(z.string()),
    power: z.number().meta({ description: "The deck's power for matchmaking (about 100 for a deck of fair cards)" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Deck" });

/** A card as the battle engine plays it (its id is `c<card id>`). */
export const battleCardSchema = z
  .object({
    id: z.string(),
    cardKey: z.string(),
    kind: z.enum(["unit", "spell"]),
    cost: z.number().int(),
    attack: z.number().int(),
    health: z.number().int(),
    abilities: z.array(z.object({ kind: z.string(), amount: z.number().int().optional() })),
  })
  .meta({ id: "BattleCard" });

export const deckDetailSchema = deckSchema.extend({ cards: z.array(battleCardSchema) }).meta({ id: "DeckDetail" });

export const deckListSchema = z.object({ decks: z.array(deckSchema), maxDecks: z.number().int() }).meta({ id: "DeckList" });

export const starterPackResponseSchema = z.object({ cards: z.array(cardSchema), deck: deckSchema }).meta({ id: "StarterPack" });

export type CreateDeckRequest = z.infer<typeof createDeckRequestSchema>;
export type UpdateDeckRequest = z.infer<typeof updateDeckRequestSchema>;
export type DeckBody = z.infer<typeof deckSchema>;
export type DeckDetailBody = z.infer<typeof deckDetailSchema>;

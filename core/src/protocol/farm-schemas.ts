import { z } from "zod";

// Request and response shapes of the farming, market and crafting routes.

export const plotIdSchema = z
  .string()
  .regex(/^(starter:\d{1,2}|land:\d{1,78}:\d{1,2})$/, "must be starter:<i> or land:<tokenId>:<i>")
  .meta({ example: "starter:0" });

export const idSchema = z.string().regex(/^[1-9]\d{0,18}$/, "must be a positive whole number").meta({ example: "12" });

export const plantRequestSchema = z.object({ seedId: idSchema }).strict().meta({ id: "PlantRequest" });

const genomeSchema = z.record(z.string(), z.number().int());
const stackSchema = z.object({ kind: z.string(), quality: z.number().int(), quantity: z.number().int() }).meta({ id: "ItemStack" });

export const farmViewSchema = z
  .object({
    gameTimeMs: z.number(),
    plots: z.array(
      z.object({
        plotId: z.string(),
        field: z.string(),
        fertility: z.number(),
        trait: z.string(),
        planting: z
          .object({ crop: z.string(), genome: genomeSchema, planterId: z.string(), plantedAtMs: z.number(), readyAtMs: z.number(), ready: z.boolean() })
          .nullable(),
      }),
    ),
  })
  .meta({ id: "Farm" });

export const plantResponseSchema = z.object({ plotId: z.string(), crop: z.string(), plantedAtMs: z.number(), readyAtMs: z.number() }).meta({ id: "Planted" });

export const harvestResponseSchema = z
  .object({
    plotId: z.string(),
    resources: z.array(stackSchema),
    seeds: z.array(z.object({ crop: z.string(), genome: genomeSchema, pollinator: z.string().nullable() })),
    failed: z.boolean(),
    randomSeed: z.string().meta({ description: "The recorded seed this outcome derives from (audit and replay)" }),
  })
  .meta({ id: "Harvest" });

export const clearResponseSchema = z.object({ plotId: z.string(), outcome: z.enum(["cleared", "harvested_for_planter", "withered"]) }).meta({ id: "Cleared" });

export const inventorySchema = z
  .object({ coins: z.number().int(), resources: z.array(stackSchema), seeds: z.array(z.object({ id: z.string(), crop: z.string(), genome: genomeSchema })) })
  .meta({ id: "Inventory" });

const quantity = z.number().int().min(1).max(10_000);

export const sellRequestSchema = z.object({ kind: z.string().max(32), quality: z.number().int().min(1).max(5), quantity }).strict().meta({ id: "SellRequest" });
export const sellResponseSchema = z.object({ coins: z.number().int(), balance: z.number().int() }).meta({ id: "Sale" });

export const buySeedsRequestSchema = z.object({ crop: z.string().max(32), quantity: z.number().int().min(1).max(100) }).strict().meta({ id: "BuySeedsRequest" });
export const buySeedsResponseSchema = z.object({ price: z.number().int(), seedIds: z.array(z.string()), balance: z.number().int() }).meta({ id: "SeedPurchase" });

export const craftRequestSchema = z
  .object({
    recipe: z.string().min(1).max(64),
    inputs: z.array(z.object({ kind: z.string().max(32), quality: z.number().int().min(1).max(5), quantity }).strict()).max(32).optional(),
  })
  .strict()
  .meta({ id: "CraftRequest" });

export const cardSchema = z
  .object({
    id: z.string().meta({ description: "The card id; its token id once minted" }),
    recipe: z.string(),
    status: z.string().meta({ description: "offchain, voucher_issued or minted" }),
    attributesHash: z.string(),
    cardKey: z.string(),
    kind: z.string(),
    cost: z.number(),
    attack: z.number(),
    health: z.number(),
    abilities: z.array(z.object({ name: z.string(), amount: z.number().optional() })),
    rarity: z.string(),
    attributes: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "Card" });

export const voucherResponseSchema = z
  .object({
    voucher: z.object({
      cardId: z.string(),
      recipeId: z.string(),
      attributesHash: z.string(),
      crafter: z.string(),
      recipient: z.string(),
      nonce: z.string(),
      deadline: z.string(),
      signature: z.string(),
    }),
    contract: z.string(),
    chainId: z.number().int(),
  })
  .meta({ id: "MintVoucher", description: "Submit to HarvestCard.mintWithVoucher(voucher, signature)" });

import { z } from "zod";
import { errorCodes } from "../errors/error-codes.ts";

// The HTTP API's request and response shapes. The API validates with them, generates its OpenAPI
// document from them, and clients may import them. `.meta({ id })` names a schema in the document.

const errorCode = z.enum(Object.keys(errorCodes) as [keyof typeof errorCodes, ...(keyof typeof errorCodes)[]]);

export const errorBodySchema = z
  .object({
    error: z.object({
      code: errorCode,
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: "Error", description: "Every error: a stable machine code and a message for people." });

export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .meta({ example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });

export const nonceResponseSchema = z
  .object({
    nonce: z.string(),
    expiresAt: z.string().meta({ description: "ISO time after which the nonce is refused" }),
    domain: z.string(),
    uri: z.string(),
    chainId: z.number().int(),
    statement: z.string(),
  })
  .meta({ id: "SiweNonce", description: "A single-use nonce and the message fields the server will accept." });

export const verifyRequestSchema = z
  .object({
    message: z.string().min(1).max(2_048).meta({ description: "The EIP-4361 message, as signed" }),
    signature: z
      .string()
      .max(8_192)
      .regex(/^0x([0-9a-fA-F]{2})+$/, "must be 0x-prefixed hex")
      .meta({ description: "EIP-191 signature, or ERC-1271 / ERC-6492 for smart-contract wallets" }),
  })
  .strict()
  .meta({ id: "SiweVerifyRequest" });

export const tokenResponseSchema = z
  .object({
    token: z.string().meta({ description: "Access token (Bearer), short-lived" }),
    expiresAt: z.string(),
    refreshToken: z.string().meta({ description: "Single use: each refresh returns a new one" }),
    sessionExpiresAt: z.string(),
    address: addressSchema,
  })
  .meta({ id: "Tokens" });

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(20).max(200) }).strict().meta({ id: "RefreshRequest" });

export const displayNameSchema = z
  .string()
  .min(3)
  .max(24)
  .regex(/^[A-Za-z0-9_-]+$/, "may use letters, digits, _ and - only")
  .meta({ example: "sunflower_sam" });

export const playerSchema = z
  .object({ id: z.string(), address: addressSchema, displayName: displayNameSchema.nullable(), createdAt: z.string() })
  .meta({ id: "Player" });

export const updateMeRequestSchema = z.object({ displayName: displayNameSchema }).strict().meta({ id: "UpdateMeRequest" });

const tokenAttributesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export const walletTokensResponseSchema = z
  .object({
    address: addressSchema,
    tokens: z.array(
      z.object({
        collection: z.enum(["card", "land"]),
        tokenId: z.string(),
        contract: addressSchema,
        owner: addressSchema,
        user: addressSchema.nullable(),
        userExpires: z.number().int().nullable(),
        attributes: tokenAttributesSchema,
        access: z.enum(["owner", "renter"]),
        updatedBlock: z.string(),
      }),
    ),
    indexedHead: z.object({ blockNumber: z.string(), blockTimestamp: z.number().int(), finalizedBlockNumber: z.string() }),
    final: z.boolean().meta({ description: "False while the answer rests on blocks that may still be reorganised" }),
  })
  .meta({ id: "WalletTokens" });

export const healthResponseSchema = z
  .object({ ok: z.boolean(), database: z.record(z.string(), z.unknown()), chain: z.record(z.string(), z.unknown()), indexer: z.record(z.string(), z.unknown()) })
  .meta({ id: "Health" });

export type NonceResponse = z.infer<typeof nonceResponseSchema>;
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
export type PlayerBody = z.infer<typeof playerSchema>;

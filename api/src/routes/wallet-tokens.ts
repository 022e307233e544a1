import { createRoute } from "@hono/zod-openapi";
import { isAddress } from "viem";
import { checksumAddress } from "@harvest/core/chain/checksum-address";
import { z } from "zod";
import { AppError } from "@harvest/core/errors/error-codes";
import { addressSchema, walletTokensResponseSchema } from "@harvest/core/protocol/api-schemas";
import type { OwnershipReader, UsableToken } from "@harvest/db/ownership/ownership-reader";
import { commonErrors, createRouter } from "../http/router.ts";

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: "Page size, 1 to 100" }),
  cursor: z.string().max(200).optional().meta({ description: "`nextCursor` of the previous page" }),
});

/** A token's position in the list, as an opaque cursor. */
const cursorOf = (token: UsableToken) => Buffer.from(`${token.updatedBlock}:${token.collection}:${token.tokenId}`).toString("base64url");

/**
 * `GET /v1/wallets/{address}/tokens`: the cards and lands a wallet may use now, each with why (owner
 * or renter), and the indexed head the answer rests on. Ownership is public on-chain data, so this
 * route needs no login. Pages by cursor, newest change first.
 */
export function walletTokenRoutes(ownership: OwnershipReader) {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/v1/wallets/{address}/tokens",
      tags: ["ownership"],
      summary: "The cards and lands a wallet may use now (owned and not rented out, or rented)",
      request: { params: z.object({ address: addressSchema }), query: querySchema },
      responses: { 200: { description: "Usable tokens", content: { "application/json": { schema: walletTokensResponseSchema.extend({ nextCursor: z.string().nullable() }) } } }, ...commonErrors },
    }),
    async (c) => {
      const { address } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const { value, head, final } = await ownership.usableTokens(address);
      let start = 0;
      if (cursor !== undefined) {
        const index = value.findIndex((token) => cursorOf(token) === cursor);
        if (index < 0) throw new AppError("VALIDATION_FAILED", "The cursor does not match this list; start again without it.", { details: { field: "cursor" } });
        start = index + 1;
      }
      const page = value.slice(start, start + limit);
      const more = start + limit < value.length;
      return c.json(
        {
          address: checksumAddress(address),
          tokens: page.map((token) => ({
            collection: token.collection,
            tokenId: token.tokenId.toString(),
            contract: checksumAddress(token.contract),
            owner: checksumAddress(token.owner),
            user: token.user === null ? null : checksumAddress(token.user),
            userExpires: token.userExpires === null ? null : Number(token.userExpires),
            attributes: checksumAddresses(token.attributes),
            access: token.right,
            updatedBlock: token.updatedBlock.toString(),
          })),
          indexedHead: {
            blockNumber: head.blockNumber.toString(),
            blockTimestamp: Number(head.blockTimestamp),
            finalizedBlockNumber: head.finalizedBlockNumber.toString(),
          },
          final,
          nextCursor: more && page.length > 0 ? cursorOf(page[page.length - 1]!) : null,
        },
        200,
      );
    },
  );
}

function checksumAddresses(attributes: Record<string, string | number | null>) {
  return Object.fromEntries(
    Object.entries(attributes).map(([key, value]) => [key, typeof value === "string" && isAddress(value, { strict: false }) ? checksumAddress(value) : value]),
  );
}

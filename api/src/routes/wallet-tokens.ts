import { Hono } from "hono";
import { getAddress, isAddress } from "viem";
import { AppError } from "@harvest/core/errors/error-codes";
import type { OwnershipReader } from "@harvest/db/ownership/ownership-reader";

/**
 * `GET /v1/wallets/{address}/tokens`: the card and land tokens a wallet may use now, each with why
 * (owner or renter), and the indexed head block the answer rests on. Ownership is public on-chain
 * data, so this route needs no login.
 */
export function walletTokenRoutes(ownership: OwnershipReader) {
  return new Hono().get("/v1/wallets/:address/tokens", async (c) => {
    const address = c.req.param("address");
    if (!isAddress(address, { strict: false })) {
      throw new AppError("VALIDATION_FAILED", "address must be a 0x-prefixed 20-byte hex address.", {
        details: { field: "address" },
      });
    }
    const { value, head, final } = await ownership.usableTokens(address);
    return c.json({
      address: getAddress(address),
      tokens: value.map((token) => ({
        collection: token.collection,
        tokenId: token.tokenId.toString(),
        contract: getAddress(token.contract),
        owner: getAddress(token.owner),
        user: token.user === null ? null : getAddress(token.user),
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
    });
  });
}

function checksumAddresses(attributes: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(attributes).map(([key, value]) => [key, typeof value === "string" && isAddress(value, { strict: false }) ? getAddress(value) : value]),
  );
}

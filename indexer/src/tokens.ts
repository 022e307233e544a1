import { zeroAddress, type Address, type Hex } from "viem";
import type { Context } from "ponder:registry";
import { token, transfer, userChange } from "ponder:schema";

/** The two token collections; the first part of a token's key. */
export type Collection = "card" | "land";

type EventMeta = {
  id: string;
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: Hex };
  log: { address: Address };
};

/** Records a transfer (a mint when `from` is zero) and moves the token to `to`. */
export async function recordTransfer(
  context: Context,
  collection: Collection,
  event: EventMeta,
  args: { from: Address; to: Address; tokenId: bigint },
) {
  await context.db.insert(transfer).values({
    id: event.id,
    collection,
    tokenId: args.tokenId,
    from: args.from,
    to: args.to,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
  await context.db
    .insert(token)
    .values({
      collection,
      tokenId: args.tokenId,
      contract: event.log.address,
      owner: args.to,
      mintedBlock: event.block.number,
      updatedBlock: event.block.number,
    })
    .onConflictDoUpdate({ owner: args.to, updatedBlock: event.block.number });
}

/** Records an ERC-4907 user change; a zero user clears the rental. */
export async function recordUserChange(
  context: Context,
  collection: Collection,
  event: EventMeta,
  args: { tokenId: bigint; user: Address; expires: bigint },
) {
  const cleared = args.user === zeroAddress;
  const user = cleared ? null : args.user;
  const expires = cleared ? null : args.expires;
  await context.db.insert(userChange).values({
    id: event.id,
    collection,
    tokenId: args.tokenId,
    user,
    expires,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
  await context.db
    .update(token, { collection, tokenId: args.tokenId })
    .set({ user, userExpires: expires, updatedBlock: event.block.number });
}

import { index, onchainTable, primaryKey } from "ponder";

/**
 * One row per card or land token: who owns it, who may use it (ERC-4907) and its attributes.
 * Published as `chain.token` (Ponder's views schema); the ownership module reads it.
 */
export const token = onchainTable(
  "token",
  (t) => ({
    collection: t.text().notNull(), // "card" | "land"
    tokenId: t.bigint().notNull(),
    contract: t.hex().notNull(),
    owner: t.hex().notNull(),
    user: t.hex(), // null when there is no user
    userExpires: t.bigint(), // UNIX seconds; null when there is no user
    mintedBlock: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
    // Card record
    crafter: t.hex(),
    recipeId: t.bigint(),
    edition: t.integer(),
    attributesHash: t.hex(),
    // Land attributes
    plots: t.integer(),
    fertility: t.integer(),
    trait: t.integer(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.collection, table.tokenId] }),
    ownerIndex: index().on(table.owner),
    userIndex: index().on(table.user),
  }),
);

/** Every transfer, mints included (`from` is the zero address). Published as `chain.transfer`. */
export const transfer = onchainTable(
  "transfer",
  (t) => ({
    id: t.text().primaryKey(),
    collection: t.text().notNull(),
    tokenId: t.bigint().notNull(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ tokenIndex: index().on(table.collection, table.tokenId) }),
);

/** Every ERC-4907 user change (rental start, change, return, clean-up). Published as `chain.user_change`. */
export const userChange = onchainTable(
  "user_change",
  (t) => ({
    id: t.text().primaryKey(),
    collection: t.text().notNull(),
    tokenId: t.bigint().notNull(),
    user: t.hex(), // null when cleared
    expires: t.bigint(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ tokenIndex: index().on(table.collection, table.tokenId) }),
);

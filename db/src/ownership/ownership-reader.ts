import type { Pool } from "pg";
import { blockOfCheckpoint } from "@harvest/core/chain/checkpoint";
import { useRightOf, type UseRight } from "@harvest/core/ownership/use-right";

/** A token's collection: the card or the land contract. */
export type Collection = "card" | "land";

/** The indexed head and the last final block, from Ponder's published checkpoint. */
export type IndexedHead = { blockNumber: bigint; blockTimestamp: bigint; finalizedBlockNumber: bigint };

/** A token a wallet may use now, with the facts behind the answer. */
export type UsableToken = {
  collection: Collection;
  tokenId: bigint;
  contract: string;
  owner: string;
  user: string | null;
  userExpires: bigint | null;
  attributes: Record<string, string | number | null>;
  right: UseRight;
  /** The block of the token's last change; the answer is final once this block is. */
  updatedBlock: bigint;
};

/** An answer and the chain state it rests on. `final` is false while any block behind it may still be reorganised. */
export type OwnershipAnswer<T> = { value: T; head: IndexedHead; final: boolean };

export type OwnershipReaderOptions = {
  pool: Pool;
  /** The schema where the indexer publishes its views (`chain` by default). */
  viewsSchema: string;
  /** Wall-clock seconds; injectable for tests. */
  nowSeconds?: () => bigint;
};

/** The indexer has not published a checkpoint yet (it is starting, or not running). */
export class IndexerNotReadyError extends Error {
  override name = "IndexerNotReadyError";
}

type TokenRow = {
  collection: Collection;
  token_id: string;
  contract: string;
  owner: string;
  user: string | null;
  user_expires: string | null;
  updated_block: string;
  crafter: string | null;
  recipe_id: string | null;
  edition: number | null;
  attributes_hash: string | null;
  plots: number | null;
  fertility: number | null;
  trait: number | null;
};

/**
 * Answers "may wallet W use token T now?" and "which tokens may W use now?" from the indexer's
 * views, for the API and the game server alike. "Now" is the later of the wall clock and the
 * indexed head block's timestamp, so a chain whose clock was moved forward (development tools)
 * expires rentals as the contract would.
 */
export function createOwnershipReader({ pool, viewsSchema, nowSeconds = wallClockSeconds }: OwnershipReaderOptions) {
  if (!/^[a-z_][a-z0-9_]*$/.test(viewsSchema)) throw new Error(`invalid views schema name: ${viewsSchema}`);
  const views = `"${viewsSchema}"`;

  async function indexedHead(): Promise<IndexedHead> {
    const { rows } = await pool.query<{ latest_checkpoint: string; finalized_checkpoint: string }>(
      `SELECT latest_checkpoint, finalized_checkpoint FROM ${views}._ponder_checkpoint LIMIT 1`,
    ).catch((cause: unknown) => {
      if ((cause as { code?: string }).code === "42P01") throw new IndexerNotReadyError("the indexer's views do not exist yet", { cause });
      throw cause;
    });
    const row = rows[0];
    if (!row) throw new IndexerNotReadyError("the indexer has not indexed any block yet");
    const latest = blockOfCheckpoint(row.latest_checkpoint);
    return {
      blockNumber: latest.blockNumber,
      blockTimestamp: latest.timestamp,
      finalizedBlockNumber: blockOfCheckpoint(row.finalized_checkpoint).blockNumber,
    };
  }

  function clock(head: IndexedHead): bigint {
    const wall = nowSeconds();
    return wall > head.blockTimestamp ? wall : head.blockTimestamp;
  }

  /** The tokens `wallet` may use now (owned and not rented out, or rented), newest change first. */
  async function usableTokens(wallet: string): Promise<OwnershipAnswer<UsableToken[]>> {
    const who = wallet.toLowerCase();
    const head = await indexedHead();
    const now = clock(head);
    const { rows } = await pool.query<TokenRow>(
      `SELECT * FROM ${views}.token WHERE owner = $1 OR "user" = $1 ORDER BY updated_block DESC, collection, token_id`,
      [who],
    );
    const tokens = rows.flatMap((row) => {
      const token = toToken(row, who, now);
      return token ? [token] : [];
    });
    // A token that left the wallet in a block that is not final yet may still come back.
    const { rows: recentOut } = await pool.query(
      `SELECT 1 FROM ${views}.transfer WHERE "from" = $1 AND block_number > $2 LIMIT 1`,
      [who, head.finalizedBlockNumber.toString()],
    );
    const final = recentOut.length === 0 && tokens.every((t) => t.updatedBlock <= head.finalizedBlockNumber);
    return { value: tokens, head, final };
  }

  /** Whether `wallet` may use one token now, and why; null when it may not (or the token does not exist). */
  async function mayUse(wallet: string, collection: Collection, tokenId: bigint): Promise<OwnershipAnswer<UsableToken | null>> {
    const who = wallet.toLowerCase();
    const head = await indexedHead();
    const { rows } = await pool.query<TokenRow>(
      `SELECT * FROM ${views}.token WHERE collection = $1 AND token_id = $2`,
      [collection, tokenId.toString()],
    );
    const row = rows[0];
    const token = row ? toToken(row, who, clock(head)) : null;
    const final = row ? BigInt(row.updated_block) <= head.finalizedBlockNumber : true;
    return { value: token, head, final };
  }

  return { indexedHead, usableTokens, mayUse };
}

export type OwnershipReader = ReturnType<typeof createOwnershipReader>;

function toToken(row: TokenRow, wallet: string, now: bigint): UsableToken | null {
  const holding = { owner: row.owner, user: row.user, userExpires: row.user_expires === null ? null : BigInt(row.user_expires) };
  const right = useRightOf(wallet, holding, now);
  if (!right) return null;
  const attributes: UsableToken["attributes"] =
    row.collection === "card"
      ? { crafter: row.crafter, recipeId: row.recipe_id === null ? null : Number(row.recipe_id), edition: row.edition, attributesHash: row.attributes_hash }
      : { plots: row.plots, fertility: row.fertility, trait: row.trait };
  return {
    collection: row.collection,
    tokenId: BigInt(row.token_id),
    contract: row.contract,
    ...holding,
    attributes,
    right,
    updatedBlock: BigInt(row.updated_block),
  };
}

function wallClockSeconds(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}

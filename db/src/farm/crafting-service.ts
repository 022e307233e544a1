import type pg from "pg";
import { getAddress, type Address, type Hex, type LocalAccount } from "viem";
import { AppError } from "@harvest/core/errors/error-codes";
import { isStarterRecipeKey } from "@harvest/core/battle/starter-cards";
import { mintVoucherTypedData, type MintVoucher } from "@harvest/core/chain/mint-voucher";
import { craft } from "@harvest/core/crafting/craft";
import { recipeOf, type ItemStack } from "@harvest/core/crafting/recipes";
import type { Card } from "@harvest/core/crafting/card";
import { deriveSeed } from "@harvest/core/farming/random";
import { appendEvents } from "../outbox.ts";
import { withTransaction } from "../pool.ts";
import { IndexerNotReadyError, type OwnershipReader } from "../ownership/ownership-reader.ts";
import type { Actor } from "./farm-service.ts";
import { listResources, takeResources } from "./inventory-store.ts";

export type CraftingServiceOptions = {
  pool: pg.Pool;
  ownership: OwnershipReader;
  gameNowMs: () => Promise<number>;
  serverSeed: string;
  /** The key that signs mint vouchers (the card contract's voucher signer). */
  voucherSigner: LocalAccount;
  /** Where the card contract is, and on which chain. */
  card: { address: Address; chainId: number };
  /** How long a voucher stays redeemable. */
  voucherTtlSeconds?: number;
  /** The chain's clock in seconds (vouchers expire by it); the wall clock by default. */
  chainNowSeconds?: () => Promise<number>;
};

type CardRow = { id: string; holder_id: string; crafter_id: string; recipe_key: string; recipe_id: number; card: Card; attributes_hash: Hex; status: string; voucher: (Omit<MintVoucher, "cardId" | "recipeId" | "nonce" | "deadline"> & { cardId: string; recipeId: string; nonce: string; deadline: string; signature: Hex }) | null };

/** A card as the API shows it. */
export function cardBody(row: CardRow) {
  return { id: row.id, recipe: row.recipe_key, status: row.status, attributesHash: row.attributes_hash, ...row.card };
}

/**
 * Crafting and minting. A craft takes exactly the recipe's inputs from the player's resources and
 * stores an off-chain card, in one transaction with its event. Minting is a saga on the card:
 * `offchain` → `voucher_issued` (one live voucher a card; the nonce is never reused) → `minted` when
 * the indexer shows the token, or back to `offchain` when the voucher's deadline passes unused.
 */
export function createCraftingService({ pool, ownership, gameNowMs, serverSeed, voucherSigner, card, voucherTtlSeconds = 3_600, chainNowSeconds = async () => Math.floor(Date.now() / 1000) }: CraftingServiceOptions) {
  /** Workshop land and base cards the player may use now, for gated recipes (an indexer that is not ready is a 503). */
  async function gatesOf(actor: Actor) {
    const { value } = await ownership.usableTokens(actor.address);
    const hasWorkshop = value.some((token) => token.collection === "land" && Number(token.attributes.trait) === 2);
    const cardIds = value.filter((token) => token.collection === "card").map((token) => token.tokenId.toString());
    const { rows } = cardIds.length
      ? await pool.query<{ key: string }>(`SELECT card->>'cardKey' AS key FROM game.cards WHERE id = ANY($1::bigint[])`, [cardIds])
      : { rows: [] };
    return { hasWorkshop, heldBaseCards: rows.map((row) => row.key) };
  }

  return {
    /** Crafts a card from a recipe, offering `inputs` (or everything the player has). */
    async craftCard(actor: Actor, recipeKey: string, inputs?: ItemStack[]) {
      const recipe = recipeOf(recipeKey);
      if (!recipe) throw new AppError("NOT_FOUND", "No such recipe.", { details: { recipe: recipeKey } });
      // Only a gated recipe needs the chain's word.
      const gates = recipe.requires === null ? { hasWorkshop: false, heldBaseCards: [] } : await gatesOf(actor);
      const nowMs = await gameNowMs();
      return withTransaction(pool, async (client) => {
        const offered = inputs ?? (await listResources(client, actor.playerId));
        const { rows: idRows } = await client.query<{ id: string }>(`SELECT nextval('game.cards_id_seq') AS id`);
        const cardId = idRows[0]!.id;
        const randomSeed = deriveSeed(serverSeed, `craft:${cardId}:${nowMs}`);
        const result = craft({ recipe: recipeKey, inputs: offered, gates, seed: randomSeed });
        if (!result.ok) {
          const status = result.code === "WORKSHOP_REQUIRED" || result.code === "BASE_CARD_REQUIRED" ? "FORBIDDEN" : "RULE_VIOLATION";
          throw new AppError(status, `The craft is refused: ${result.code}.`, { details: { reason: result.code } });
        }
        // Two crafts at once cannot spend the same resource: the take is conditional on what is left.
        if (!(await takeResources(client, actor.playerId, result.consumed))) {
          throw new AppError("RULE_VIOLATION", "You no longer have the inputs.", { details: { reason: "MISSING_INPUTS" } });
        }
        const { rows } = await client.query<CardRow>(
          `INSERT INTO game.cards (id, holder_id, crafter_id, recipe_key, recipe_id, card, attributes_hash, random_seed)
           VALUES ($1, $2, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [cardId, actor.playerId, recipeKey, recipe.recipeId, JSON.stringify(result.card), result.attributesHash, randomSeed],
        );
        const consumed = result.consumed.map((stack) => ({ ...stack, quantity: -stack.quantity }));
        await appendEvents(client, [{ aggregateType: "farm", aggregateId: actor.playerId, type: "card.crafted", payload: { cardId, recipe: recipeKey, randomSeed, attributesHash: result.attributesHash, delta: { resources: consumed, cards: 1 } } }]);
        return cardBody(rows[0]!);
      });
    },

    /** The player's off-chain cards, and the minted cards they may use now (owned or rented). */
    async listCards(actor: Actor) {
      // While the indexer is starting, the list shows the off-chain cards only.
      const { value } = await ownership.usableTokens(actor.address).catch((error: unknown) => {
        if (error instanceof IndexerNotReadyError) return { value: [] };
        throw error;
      });
      const minted = value.filter((token) => token.collection === "card").map((token) => token.tokenId.toString());
      const { rows } = await pool.query<CardRow>(
        `SELECT * FROM game.cards WHERE (holder_id = $1 AND status <> 'minted') OR (status = 'minted' AND id = ANY($2::bigint[])) ORDER BY id`,
        [actor.playerId, minted],
      );
      return rows.map(cardBody);
    },

    /**
     * Issues the EIP-712 voucher that lets the player mint a card: once per card at a time, to the
     * player's wallet, with a fresh nonce and a deadline. Asking again while it is live returns the same voucher.
     */
    async issueVoucher(actor: Actor, cardId: string) {
      return withTransaction(pool, async (client) => {
        const { rows } = await client.query<CardRow>(`SELECT * FROM game.cards WHERE id = $1 AND holder_id = $2 FOR UPDATE`, [cardId, actor.playerId]);
        const row = rows[0];
        if (!row) throw new AppError("NOT_FOUND", "You hold no such card.", { details: { cardId } });
        if (isStarterRecipeKey(row.recipe_key)) throw new AppError("RULE_VIOLATION", "Starter cards cannot be minted.", { details: { reason: "STARTER_CARD", cardId } });
        if (row.status === "minted") throw new AppError("CONFLICT", "The card is minted already.");
        if (row.status === "voucher_issued" && row.voucher) return { voucher: row.voucher, contract: card.address, chainId: card.chainId };
        const { rows: nonceRows } = await client.query<{ nonce: string }>(`SELECT nextval('game.voucher_nonces') AS nonce`);
        const voucher: MintVoucher = {
          cardId: BigInt(row.id),
          recipeId: BigInt(row.recipe_id),
          attributesHash: row.attributes_hash,
          crafter: getAddress(actor.address),
          recipient: getAddress(actor.address),
          nonce: BigInt(nonceRows[0]!.nonce),
          deadline: BigInt((await chainNowSeconds()) + voucherTtlSeconds),
        };
        const signature = await voucherSigner.signTypedData(mintVoucherTypedData(card.chainId, card.address, voucher));
        const stored = Object.fromEntries(Object.entries(voucher).map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value]));
        const body = { ...stored, signature } as NonNullable<CardRow["voucher"]>;
        await client.query(`UPDATE game.cards SET status = 'voucher_issued', voucher = $2, voucher_deadline = to_timestamp($3) WHERE id = $1`, [row.id, JSON.stringify(body), Number(voucher.deadline)]);
        await appendEvents(client, [{ aggregateType: "card", aggregateId: row.id, type: "card.voucher_issued", payload: { cardId: row.id, nonce: voucher.nonce.toString(), deadline: voucher.deadline.toString(), delta: {} } }]);
        return { voucher: body, contract: card.address, chainId: card.chainId };
      });
    },

    /**
     * Moves the saga on: cards whose token the indexer now shows become `minted`; cards whose voucher
     * deadline passed unused go back to `offchain`. Idempotent; the API runs it every few seconds.
     */
    async syncMints(): Promise<{ minted: number; expired: number }> {
      const nowSeconds = await chainNowSeconds();
      return withTransaction(pool, async (client) => {
        const { rows: pending } = await client.query<{ id: string }>(`SELECT id FROM game.cards WHERE status = 'voucher_issued' FOR UPDATE SKIP LOCKED`);
        const ids = pending.map((row) => row.id);
        // Before the indexer has published its views there is nothing minted to see yet.
        const { rows: views } = await client.query<{ ready: boolean }>(`SELECT to_regclass('chain.token') IS NOT NULL AS ready`);
        const { rows: onChain } = ids.length && views[0]!.ready
          ? await client.query<{ id: string }>(`SELECT token_id::text AS id FROM chain.token WHERE collection = 'card' AND token_id = ANY($1::numeric[])`, [ids])
          : { rows: [] };
        const mintedIds = new Set(onChain.map((row) => row.id));
        const rows = ids.map((id) => ({ id, minted: mintedIds.has(id) }));
        let minted = 0;
        let expired = 0;
        for (const row of rows) {
          if (row.minted) {
            await client.query(`UPDATE game.cards SET status = 'minted', minted_at = now() WHERE id = $1`, [row.id]);
            await appendEvents(client, [{ aggregateType: "card", aggregateId: row.id, type: "card.minted", payload: { cardId: row.id, delta: {} } }]);
            minted += 1;
            continue;
          }
          const { rowCount } = await client.query(
            `UPDATE game.cards SET status = 'offchain', voucher = NULL, voucher_deadline = NULL WHERE id = $1 AND voucher_deadline < to_timestamp($2)`,
            [row.id, nowSeconds],
          );
          if (rowCount === 1) {
            await appendEvents(client, [{ aggregateType: "card", aggregateId: row.id, type: "card.voucher_expired", payload: { cardId: row.id, delta: {} } }]);
            expired += 1;
          }
        }
        return { minted, expired };
      });
    },
  };
}

export type CraftingService = ReturnType<typeof createCraftingService>;

import type pg from "pg";
import { starterPack } from "@harvest/core/battle/starter-cards";
import { AppError } from "@harvest/core/errors/error-codes";
import { appendEvents } from "../outbox.ts";
import type { cardBody } from "../farm/crafting-service.ts";
import type { CardUser } from "./card-usability.ts";
import { insertDeck, type DeckRow } from "./deck-store.ts";

type StoredCardRow = Parameters<typeof cardBody>[0];

/** The name of the deck a starter pack comes with (or "Starter 2", … when the player has one so named). */
const STARTER_DECK_NAME = "Starter";

/**
 * Gives the player the starter pack, once: 20 off-chain cards (two of each starter template, crafted by
 * and held by the player, never mintable) and a deck of them, on `client` inside the caller's
 * transaction, with a farm event whose `delta.cards` keeps the card ledger reconciling. The starter
 * deck is made even when the player is at the deck limit (once per player, so at most one over).
 * A second claim is a CONFLICT.
 */
export async function claimStarterPackOn(client: pg.PoolClient, user: CardUser): Promise<{ cards: StoredCardRow[]; deck: DeckRow }> {
  const { rowCount } = await client.query(`INSERT INTO game.starter_packs (player_id) VALUES ($1) ON CONFLICT DO NOTHING`, [user.playerId]);
  if (rowCount !== 1) throw new AppError("CONFLICT", "You have claimed the starter pack already.", { details: { reason: "STARTER_PACK_CLAIMED" } });
  const pack = starterPack(user.playerId);
  const { rows } = await client.query<StoredCardRow>(
    `INSERT INTO game.cards (holder_id, crafter_id, recipe_key, recipe_id, card, attributes_hash, random_seed)
     SELECT $1, $1, t.recipe_key, t.recipe_id, t.card, t.attributes_hash, t.random_seed
       FROM unnest($2::text[], $3::int[], $4::jsonb[], $5::text[], $6::text[]) WITH ORDINALITY AS t(recipe_key, recipe_id, card, attributes_hash, random_seed, n)
      ORDER BY t.n
     RETURNING *`,
    [
      user.playerId,
      pack.map((c) => c.recipeKey),
      pack.map((c) => c.recipeId),
      pack.map((c) => JSON.stringify(c.card)),
      pack.map((c) => c.attributesHash),
      pack.map((c) => c.randomSeed),
    ],
  );
  const cards = rows.toSorted((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const cardIds = cards.map((card) => card.id);
  const deck = await insertDeck(client, user.playerId, await freeStarterName(client, user.playerId), cardIds);
  await appendEvents(client, [
    { aggregateType: "farm", aggregateId: user.playerId, type: "starter_pack.claimed", payload: { cardIds, deckId: deck.id, delta: { cards: cards.length } } },
    { aggregateType: "deck", aggregateId: deck.id, type: "deck.created", payload: { deckId: deck.id, playerId: user.playerId, name: deck.name, cardIds } },
  ]);
  return { cards, deck };
}

async function freeStarterName(client: pg.PoolClient, playerId: string): Promise<string> {
  const { rows } = await client.query<{ name: string }>(`SELECT lower(name) AS name FROM game.decks WHERE player_id = $1`, [playerId]);
  const taken = new Set(rows.map((row) => row.name));
  for (let i = 1; ; i++) {
    const name = i === 1 ? STARTER_DECK_NAME : `${STARTER_DECK_NAME} ${i}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

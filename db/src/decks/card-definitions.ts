import type pg from "pg";
import { LRUCache } from "lru-cache";
import { cardDefFromCrafted } from "@harvest/core/battle/card-from-crafted";
import type { CardDef } from "@harvest/core/battle/cards";
import { loadDeckCards, type DeckCardRow } from "./deck-store.ts";

/** How many card definitions one process keeps by default: ~300 bytes each, so a few tens of MB at most. */
export const DEFAULT_CARD_DEFINITIONS_KEPT = 100_000;

type DefinitionRow = Pick<DeckCardRow, "id" | "recipe_key" | "card">;

/** A row's definition, frozen: one object serves every battle the card is in. */
function definitionOf(row: DefinitionRow): CardDef {
  const card = cardDefFromCrafted({ id: row.id, recipeKey: row.recipe_key, card: row.card });
  return Object.freeze({ ...card, abilities: Object.freeze(card.abilities.map((ability) => Object.freeze({ ...ability }))) }) as CardDef;
}

/**
 * The battle definitions of cards (cardDefFromCrafted of their game.cards row), kept in memory by
 * card id, the least recently used dropped past `max`. The definitions handed out are frozen.
 *
 * A card's definition (recipe and attributes, which a minted token's attributes hash commits to)
 * never changes once it is crafted: the database refuses such an update (migration
 * card-definitions-immutable). So a deck check reads of game.cards only who holds each card
 * (findDecksWithHoldings) and a definition is read once per process, not at every queue.join and
 * match start.
 *
 * @example
 * const definitions = createCardDefinitions();
 * const cards = await definitions.of(pool, deck.card_ids); // in deck order; unknown ids are left out
 */
export function createCardDefinitions({ max = DEFAULT_CARD_DEFINITIONS_KEPT }: { max?: number } = {}) {
  const byId = new LRUCache<string, CardDef>({ max });

  /** Keeps the definitions of rows already read (a deck saved, a starter pack claimed). */
  function remember(rows: readonly DefinitionRow[]): void {
    for (const row of rows) if (!byId.has(row.id)) byId.set(row.id, definitionOf(row));
  }

  return {
    remember,

    /** The definitions of `cardIds` in the order given; those not kept yet are read in one statement. A card that does not exist is left out. */
    async of(client: Pick<pg.ClientBase, "query">, cardIds: readonly string[]): Promise<CardDef[]> {
      const found = new Map<string, CardDef>();
      const missing: string[] = [];
      for (const id of cardIds) {
        const def = byId.get(id);
        if (def !== undefined) found.set(id, def);
        else missing.push(id);
      }
      if (missing.length > 0) {
        for (const row of await loadDeckCards(client, missing)) {
          const def = definitionOf(row);
          byId.set(row.id, def);
          // Answered from what was read, not the cache: a call for more than `max` cards still gets them all.
          found.set(row.id, def);
        }
      }
      return cardIds.flatMap((id) => {
        const def = found.get(id);
        return def === undefined ? [] : [def];
      });
    },

    /** How many definitions are kept now. */
    size: () => byId.size,
  };
}

export type CardDefinitions = ReturnType<typeof createCardDefinitions>;

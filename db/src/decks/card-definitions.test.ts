import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { cardDefFromCrafted } from "@harvest/core/battle/card-from-crafted";
import { createOwnershipReader } from "../ownership/ownership-reader.ts";
import { findOrCreatePlayer } from "../players/players.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createCardDefinitions } from "./card-definitions.ts";
import { createDeckService } from "./deck-service.ts";
import { loadDeckCards } from "./deck-store.ts";

describe("card definitions", () => {
  let db: TestDatabase;
  let cardIds: string[];
  before(async () => {
    db = await createTestDatabase("card_definitions");
    const address = `0x${"c1".padStart(40, "0")}`;
    const { id: playerId } = await findOrCreatePlayer(db.pool, address);
    const decks = createDeckService({ pool: db.pool, ownership: createOwnershipReader({ pool: db.pool, viewsSchema: "chain" }) });
    cardIds = (await decks.claimStarterPack({ playerId, address })).deck.cardIds as string[];
  });
  after(async () => {
    await db?.drop();
  });

  /** The pool, counting the statements sent through it. */
  function counted() {
    const client = { statements: 0, query: (...args: Parameters<typeof db.pool.query>) => (client.statements++, db.pool.query(...args)) };
    return client;
  }

  it("answers in the order asked, as cardDefFromCrafted of the rows, reading each card once", async () => {
    const definitions = createCardDefinitions();
    const client = counted();
    const asked = [cardIds[4]!, cardIds[0]!, "999999999", cardIds[4]!];
    const rows = new Map((await loadDeckCards(db.pool, cardIds)).map((row) => [row.id, row]));
    const expected = [cardIds[4]!, cardIds[0]!, cardIds[4]!].map((id) => cardDefFromCrafted({ id, recipeKey: rows.get(id)!.recipe_key, card: rows.get(id)!.card }));

    assert.deepEqual(await definitions.of(client as never, asked), expected, "an unknown card is left out");
    assert.equal(client.statements, 1);
    assert.deepEqual(await definitions.of(client as never, asked.slice(0, 2)), expected.slice(0, 2));
    assert.equal(client.statements, 1, "known cards are not read again");
    await definitions.of(client as never, cardIds);
    assert.equal(client.statements, 2, "the others in one read");
    const [def] = await definitions.of(client as never, [cardIds[0]!]);
    assert.ok(Object.isFrozen(def) && Object.isFrozen(def!.abilities), "one object serves every battle: it cannot be changed");
  });

  it("keeps at most `max`, and still answers a call for more", async () => {
    const definitions = createCardDefinitions({ max: 3 });
    const client = counted();
    assert.equal((await definitions.of(client as never, cardIds.slice(0, 5))).length, 5);
    assert.equal(definitions.size(), 3);
    await definitions.of(client as never, cardIds.slice(2, 5));
    assert.equal(client.statements, 1, "the most recently used are kept");
    await definitions.of(client as never, cardIds.slice(0, 1));
    assert.equal(client.statements, 2, "the least recently used were dropped");
  });

  it("is never stale: the database refuses to change a card's definition, and lets its holder change", async () => {
    const [id] = cardIds;
    for (const change of [`card = card || '{"attack": 99}'::jsonb`, `recipe_key = 'other'`, `attributes_hash = 'x'`, `id = id + 1000000`]) {
      await assert.rejects(db.pool.query(`UPDATE game.cards SET ${change} WHERE id = $1`, [id]), (error: { code?: string }) => error.code === "23000", change);
    }
    await db.pool.query(`UPDATE game.cards SET card = card, status = 'offchain' WHERE id = $1`, [id]);
    const { rows } = await db.pool.query<{ holder_id: string }>(`UPDATE game.cards SET holder_id = holder_id WHERE id = $1 RETURNING holder_id`, [id]);
    assert.equal(rows.length, 1);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { findOrCreatePlayer } from "../players/players.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { resetChainLinks } from "./reset-chain-links.ts";

describe("resetChainLinks", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase("chain_reset");
  });
  after(async () => {
    await db?.drop();
  });

  it("sends minted and vouchered cards back off-chain and clears crops on lands, leaving the rest", async () => {
    const player = await findOrCreatePlayer(db.pool, `0x${"ab".repeat(20)}`);
    const insertCard = (status: string) =>
      db.pool.query(
        `INSERT INTO game.cards (holder_id, crafter_id, recipe_key, recipe_id, card, attributes_hash, random_seed, status, voucher)
         VALUES ($1, $1, 'haystack-squire', 2, '{}', '0x00', 's', $2, $3) RETURNING id`,
        [player.id, status, status === "offchain" ? null : JSON.stringify({ nonce: "1" })],
      );
    await insertCard("minted");
    await insertCard("voucher_issued");
    await insertCard("offchain");
    for (const plotKey of ["land:7:0", `starter:${player.id}:0`]) {
      await db.pool.query(
        `INSERT INTO game.plantings (plot_key, field_key, planter_id, crop, genome, planted_at_ms, ready_at_ms, random_seed) VALUES ($1, $2, $3, 'wheat', '{}', 0, 1, 's')`,
        [plotKey, plotKey.split(":").slice(0, 2).join(":"), player.id],
      );
    }
    assert.deepEqual(await resetChainLinks(db.pool), { cards: 2, plantings: 1 });
    const { rows: cards } = await db.pool.query(`SELECT status, voucher FROM game.cards`);
    assert.ok(cards.every((card) => card.status === "offchain" && card.voucher === null));
    const { rows: plantings } = await db.pool.query(`SELECT plot_key FROM game.plantings`);
    assert.deepEqual(plantings.map((p) => p.plot_key), [`starter:${player.id}:0`]);
    const { rows: events } = await db.pool.query(`SELECT count(*)::int AS n FROM game.outbox WHERE type = 'chain.reset'`);
    assert.equal(events[0].n, 1);
    assert.deepEqual(await resetChainLinks(db.pool), { cards: 0, plantings: 0 }, "a second reset changes nothing");
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { battleParams } from "@harvest/core/battle/testing/fixtures";
import { newRating } from "@harvest/core/rating/rate-match";
import { createBattle } from "../battles/battle-store.ts";
import { findOrCreatePlayer } from "../players/players.ts";
import { withTransaction } from "../pool.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createDeckService } from "../decks/deck-service.ts";
import { createOwnershipReader } from "../ownership/ownership-reader.ts";
import { enterMatched, enterQueue, enterQueueWithHeldDeck, leaveQueue, lockQueuedSlots } from "./player-slots.ts";

describe("player slots", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase("player_slots");
  });
  after(async () => {
    await db?.drop();
  });

  let players = 0;
  const newPlayer = async () => (await findOrCreatePlayer(db.pool, `0x${(0xf000 + ++players).toString(16).padStart(40, "0")}`)).id;
  const slotRating = async (playerId: string) =>
    (await db.pool.query<{ rating: number; rating_rd: number }>(`SELECT rating, rating_rd FROM game.player_slots WHERE player_id = $1`, [playerId])).rows[0];

  it("queues a player with their own rating, read as the slot is written, or the initial one; a second slot is refused", async () => {
    const [rated, fresh] = [await newPlayer(), await newPlayer()];
    await db.pool.query(`INSERT INTO game.ratings (player_id, rating, rd, vol, games) VALUES ($1, 1612.5, 80.25, 0.06, 7)`, [rated]);
    const entry = { mode: "ranked" as const, deckId: randomUUID(), deckPower: 12, inviteCode: null };
    assert.deepEqual(await enterQueue(db.pool, { playerId: rated, ...entry }), { rating: 1612.5, rd: 80.25 });
    assert.deepEqual(await slotRating(rated), { rating: 1612.5, rating_rd: 80.25 });
    const initial = newRating();
    assert.deepEqual(await enterQueue(db.pool, { playerId: fresh, ...entry }), { rating: initial.rating, rd: initial.rd });
    assert.equal(await enterQueue(db.pool, { playerId: rated, ...entry, mode: "casual" }), null, "already queued");
    assert.deepEqual(await slotRating(rated), { rating: 1612.5, rating_rd: 80.25 }, "the first slot is untouched");
    assert.ok(await leaveQueue(db.pool, rated));
    assert.ok(await leaveQueue(db.pool, fresh));
  });

  it("writes a slot matched at once (an invite accepted) with the player's rating", async () => {
    const player = await newPlayer();
    await db.pool.query(`INSERT INTO game.ratings (player_id, rating, rd, vol, games) VALUES ($1, 1433, 120, 0.06, 3)`, [player]);
    const params = battleParams({ battleId: randomUUID() });
    const entered = await withTransaction(db.pool, async (client) => {
      await createBattle(client, { mode: "private", params, players: [player, "someone"] });
      return enterMatched(client, { playerId: player, mode: "private", deckId: randomUUID(), deckPower: 9 }, params.battleId);
    });
    assert.equal(entered, true);
    assert.deepEqual(await slotRating(player), { rating: 1433, rating_rd: 120 });
    assert.equal(await withTransaction(db.pool, (client) => enterMatched(client, { playerId: player, mode: "private", deckId: randomUUID(), deckPower: 9 }, params.battleId)), false, "already in a match");
  });

  it("locks queued slots with each player's whole rating as it stands, skipping slots another tick holds", async () => {
    const [rated, fresh, held] = [await newPlayer(), await newPlayer(), await newPlayer()];
    await db.pool.query(`INSERT INTO game.ratings (player_id, rating, rd, vol, games) VALUES ($1, 1702.25, 61.5, 0.0593, 20)`, [rated]);
    for (const playerId of [rated, fresh, held]) await enterQueue(db.pool, { playerId, mode: "ranked", deckId: randomUUID(), deckPower: 10, inviteCode: null });
    const other = await db.pool.connect();
    try {
      await other.query("BEGIN");
      assert.equal((await lockQueuedSlots(other, [held])).length, 1);
      const locked = await withTransaction(db.pool, (client) => lockQueuedSlots(client, [held, fresh, rated]));
      assert.deepEqual(
        locked.map((slot) => [slot.playerId, slot.ratingNow]),
        [
          [rated, { rating: 1702.25, rd: 61.5, vol: 0.0593 }],
          [fresh, newRating()],
        ].sort((x, y) => Number(x[0]) - Number(y[0])),
        "in player order; the slot held by the other transaction is skipped",
      );
    } finally {
      await other.query("ROLLBACK");
      other.release();
    }
    for (const playerId of [rated, fresh, held]) assert.ok(await leaveQueue(db.pool, playerId));
  });

  it("queues with a deck checked before in one statement only while it is as it was, and writes nothing otherwise", async () => {
    const decks = createDeckService({ pool: db.pool, ownership: createOwnershipReader({ pool: db.pool, viewsSchema: "chain" }) });
    const withDeck = async () => {
      const playerId = await newPlayer();
      const { deck } = await decks.claimStarterPack({ playerId, address: `0x${playerId.padStart(40, "0")}` });
      return { playerId, deckId: deck.id as string, cardIds: deck.cardIds as string[] };
    };
    const [me, other] = [await withDeck(), await withDeck()];
    const entry = (deckId = me.deckId) => ({ playerId: me.playerId, mode: "ranked" as const, deckId, deckPower: 17, inviteCode: null });
    const slot = async () => (await db.pool.query(`SELECT deck_power FROM game.player_slots WHERE player_id = $1`, [me.playerId])).rows;
    const card = me.cardIds[2]!;

    const initial = newRating();
    assert.deepEqual(await enterQueueWithHeldDeck(db.pool, entry(), me.cardIds), { queued: { rating: initial.rating, rd: initial.rd } });
    assert.deepEqual(await slot(), [{ deck_power: 17 }]);
    assert.equal(await enterQueueWithHeldDeck(db.pool, entry(), me.cardIds), "busy");
    assert.ok(await leaveQueue(db.pool, me.playerId));

    const changes: [string, string, unknown[]][] = [
      ["a card given away", `UPDATE game.cards SET holder_id = $2 WHERE id = $1`, [card, other.playerId]],
      ["a card minted", `UPDATE game.cards SET status = 'minted' WHERE id = $1`, [card]],
    ];
    for (const [what, change, values] of changes) {
      await db.pool.query(change, values);
      assert.equal(await enterQueueWithHeldDeck(db.pool, entry(), me.cardIds), "recheck", what);
      assert.deepEqual(await slot(), [], what);
      await db.pool.query(`UPDATE game.cards SET holder_id = $2, status = 'offchain' WHERE id = $1`, [card, me.playerId]);
    }
    // A card with a voucher out is still off-chain and the player's: the deck plays.
    await db.pool.query(`UPDATE game.cards SET status = 'voucher_issued' WHERE id = $1`, [card]);
    assert.ok(typeof (await enterQueueWithHeldDeck(db.pool, entry(), me.cardIds)) === "object", "a voucher out");
    assert.ok(await leaveQueue(db.pool, me.playerId));
    await db.pool.query(`UPDATE game.cards SET status = 'offchain' WHERE id = $1`, [card]);
    assert.equal(await enterQueueWithHeldDeck(db.pool, entry(), me.cardIds.slice(1)), "recheck", "the deck names other cards now");
    assert.equal(await enterQueueWithHeldDeck(db.pool, entry(other.deckId), other.cardIds), "recheck", "another player's deck");
    assert.equal(await enterQueueWithHeldDeck(db.pool, entry(randomUUID()), me.cardIds), "recheck", "no such deck");
    assert.deepEqual(await slot(), []);
    assert.ok(typeof (await enterQueueWithHeldDeck(db.pool, entry(me.deckId.toUpperCase()), me.cardIds)) === "object", "as it was again");
    assert.ok(await leaveQueue(db.pool, me.playerId));
  });
});

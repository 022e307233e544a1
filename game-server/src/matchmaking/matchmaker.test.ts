import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createLogger } from "@harvest/core/logging/logger";
import { createDeckService } from "@harvest/db/decks/deck-service";
import { enterQueue, leaveQueue, slotStateOf } from "@harvest/db/matchmaking/player-slots";
import { createOwnershipReader } from "@harvest/db/ownership/ownership-reader";
import { findOrCreatePlayer } from "@harvest/db/players/players";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { createBattleService } from "../battles/battle-service.ts";
import { createConnectionRegistry } from "../socket/connections.ts";
import { createMatchmaker, type DeckResolver } from "./matchmaker.ts";

describe("the matchmaker's tick", () => {
  let db: TestDatabase;
  let playerCount = 0;
  const logger = createLogger("matchmaker-test", "silent");

  before(async () => {
    db = await createTestDatabase("matchmaker");
  });
  after(async () => {
    await db?.drop();
  });

  const decks = () => createDeckService({ pool: db.pool, ownership: createOwnershipReader({ pool: db.pool, viewsSchema: "chain" }) });

  /** A player with the starter pack, queued for ranked with its deck. */
  async function queuedPlayer() {
    playerCount += 1;
    const address = `0x${(0xd000 + playerCount).toString(16).padStart(40, "0")}`;
    const { id: playerId } = await findOrCreatePlayer(db.pool, address);
    const { deck } = await decks().claimStarterPack({ playerId, address });
    assert.ok(await enterQueue(db.pool, { playerId, mode: "ranked", deckId: deck.id, rating: { rating: 1500, rd: 350, vol: 0.06 }, deckPower: 10, inviteCode: null }));
    return { playerId, address, deckId: deck.id as string };
  }

  function matchmakerWith(resolveDeck: DeckResolver) {
    const connections = createConnectionRegistry();
    const battles = createBattleService({ pool: db.pool, logger, connections });
    return { matchmaker: createMatchmaker({ pool: db.pool, logger, battles, connections, resolveDeck }), battles };
  }

  it("checks the decks while holding no queue row, so a player can leave meanwhile without waiting", async () => {
    const [a, b] = [await queuedPlayer(), await queuedPlayer()];
    const service = decks();
    const lockedDuringCheck: string[] = [];
    const { matchmaker, battles } = matchmakerWith(async (actor, deckId) => {
      // NOWAIT fails at once (55P03) if anyone holds the row: the tick must not while it waits on the pool.
      await db.pool.query(`SELECT 1 FROM game.player_slots WHERE player_id = $1 FOR UPDATE NOWAIT`, [actor.playerId]).catch((error: { code?: string }) => {
        if (error.code === "55P03") lockedDuringCheck.push(actor.playerId);
        else throw error;
      });
      return service.resolveDeckForMatch(actor, deckId);
    });
    try {
      const started = await matchmaker.tick();
      assert.equal(started.length, 1);
      assert.deepEqual(lockedDuringCheck, []);
      for (const { playerId } of [a, b]) assert.deepEqual(await slotStateOf(db.pool, playerId), { state: "matched", mode: "ranked", battleId: started[0] });
    } finally {
      battles.close();
    }
  });

  it("leaves a pair alone when one of them left and queued again while the decks were checked", async () => {
    const [a, b] = [await queuedPlayer(), await queuedPlayer()];
    const service = decks();
    const { matchmaker, battles } = matchmakerWith(async (actor, deckId) => {
      if (actor.playerId === b.playerId) {
        assert.ok(await leaveQueue(db.pool, b.playerId));
        assert.ok(await enterQueue(db.pool, { playerId: b.playerId, mode: "casual", deckId, rating: { rating: 1500, rd: 350, vol: 0.06 }, deckPower: 10, inviteCode: null }));
      }
      return service.resolveDeckForMatch(actor, deckId);
    });
    try {
      assert.deepEqual(await matchmaker.tick(), [], "b's slot is not the one that was read: no match on stale state");
      assert.equal((await slotStateOf(db.pool, a.playerId))?.state, "queued", "a waits for the next tick");
      assert.deepEqual(await slotStateOf(db.pool, b.playerId), { state: "queued", mode: "casual", battleId: null });
    } finally {
      battles.close();
      await leaveQueue(db.pool, a.playerId);
      await leaveQueue(db.pool, b.playerId);
    }
  });

  it("takes a player whose deck no longer plays out of the queue and keeps the partner", async () => {
    const [a, b] = [await queuedPlayer(), await queuedPlayer()];
    const service = decks();
    const { matchmaker, battles } = matchmakerWith(async (actor, deckId) => {
      if (actor.playerId === a.playerId) await db.pool.query(`DELETE FROM game.decks WHERE id = $1`, [deckId]);
      return service.resolveDeckForMatch(actor, deckId);
    });
    try {
      assert.deepEqual(await matchmaker.tick(), []);
      assert.equal(await slotStateOf(db.pool, a.playerId), null, "a's deck is gone: a leaves the queue");
      assert.equal((await slotStateOf(db.pool, b.playerId))?.state, "queued");
    } finally {
      battles.close();
      await leaveQueue(db.pool, b.playerId);
    }
  });
});

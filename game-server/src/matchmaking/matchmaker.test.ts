import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createLogger } from "@harvest/core/logging/logger";
import type { ServerMessage } from "@harvest/core/protocol/ws-messages";
import { createDeckService } from "@harvest/db/decks/deck-service";
import { enterQueue, leaveQueue, slotStateOf } from "@harvest/db/matchmaking/player-slots";
import { createOwnershipReader } from "@harvest/db/ownership/ownership-reader";
import { findOrCreatePlayer } from "@harvest/db/players/players";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { createBattleService } from "../battles/battle-service.ts";
import { createConnectionRegistry } from "../socket/connections.ts";
import { createMatchmaker, type Actor, type DeckResolver, type MatchDeck } from "./matchmaker.ts";

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

  /** A player with the starter pack and its deck, not queued. */
  async function newPlayer() {
    playerCount += 1;
    const address = `0x${(0xd000 + playerCount).toString(16).padStart(40, "0")}`;
    const { id: playerId } = await findOrCreatePlayer(db.pool, address);
    const { deck } = await decks().claimStarterPack({ playerId, address });
    return { playerId, address, deckId: deck.id as string };
  }

  /** A player with the starter pack, queued for ranked with its deck. */
  async function queuedPlayer() {
    const player = await newPlayer();
    assert.ok(await enterQueue(db.pool, { playerId: player.playerId, mode: "ranked", deckId: player.deckId, deckPower: 10, inviteCode: null }));
    return player;
  }

  function matchmakerWith(resolveDecks: DeckResolver) {
    const connections = createConnectionRegistry();
    const battles = createBattleService({ pool: db.pool, logger, connections });
    return { matchmaker: createMatchmaker({ pool: db.pool, logger, battles, connections, resolveDecks }), battles };
  }

  /** Deck checks through `resolveDeck`, one deck at a time, so that a test can act in the middle of one. */
  const oneByOne =
    (resolveDeck: (actor: Actor, deckId: string) => Promise<MatchDeck>): DeckResolver =>
    async (entries) => {
      const settled = await Promise.allSettled(entries.map(({ actor, deckId }) => resolveDeck(actor, deckId)));
      return settled.map((result) => (result.status === "fulfilled" ? result.value : (result.reason as Error)));
    };

  it("checks the decks while holding no queue row, so a player can leave meanwhile without waiting", async () => {
    const [a, b] = [await queuedPlayer(), await queuedPlayer()];
    const service = decks();
    const lockedDuringCheck: string[] = [];
    const { matchmaker, battles } = matchmakerWith(oneByOne(async (actor, deckId) => {
      // NOWAIT fails at once (55P03) if anyone holds the row: the tick must not while it waits on the pool.
      await db.pool.query(`SELECT 1 FROM game.player_slots WHERE player_id = $1 FOR UPDATE NOWAIT`, [actor.playerId]).catch((error: { code?: string }) => {
        if (error.code === "55P03") lockedDuringCheck.push(actor.playerId);
        else throw error;
      });
      return service.resolveDeckForMatch(actor, deckId);
    }));
    try {
      const started = await matchmaker.tick();
      assert.equal(started.length, 1);
      assert.deepEqual(lockedDuringCheck, []);
      for (const { playerId } of [a, b]) assert.deepEqual(await slotStateOf(db.pool, playerId), { state: "matched", mode: "ranked", battleId: started[0] });
    } finally {
      battles.close();
    }
  });

  it("starts every pair of a tick, each battle with its event and both slots, and a pair that cannot start holds up no other", async () => {
    const players = [await queuedPlayer(), await queuedPlayer(), await queuedPlayer(), await queuedPlayer(), await queuedPlayer(), await queuedPlayer()];
    const poisoned = players[2]!.playerId;
    // A battle with this player cannot be stored (as if the database refused that one row).
    await db.pool.query(
      `CREATE OR REPLACE FUNCTION game.refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF '${poisoned}' = ANY (NEW.players) THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`,
    );
    await db.pool.query(`CREATE TRIGGER refuse_poisoned BEFORE INSERT ON game.battles FOR EACH ROW EXECUTE FUNCTION game.refuse_poisoned()`);
    const service = decks();
    const { matchmaker, battles } = matchmakerWith((entries) => service.resolveDecksForMatch(entries));
    try {
      const started = await matchmaker.tick();
      assert.equal(started.length, 2, "the two pairs without the refused player");
      const slots = await Promise.all(players.map(async ({ playerId }) => ({ playerId, slot: await slotStateOf(db.pool, playerId) })));
      const waiting = slots.filter(({ slot }) => slot?.state === "queued").map(({ playerId }) => playerId);
      assert.equal(waiting.length, 2);
      assert.ok(waiting.includes(poisoned), "the refused pair stays queued");
      for (const battleId of started) {
        const inBattle = slots.filter(({ slot }) => slot?.state === "matched" && slot.battleId === battleId).map(({ playerId }) => playerId);
        assert.equal(inBattle.length, 2, "both slots name the battle");
        const { rows } = await db.pool.query<{ players: string[] }>(`SELECT players FROM game.battles WHERE id = $1 AND status = 'active'`, [battleId]);
        assert.deepEqual([...rows[0]!.players].sort(), [...inBattle].sort());
        const events = await db.pool.query<{ payload: { battleId: string; mode: string; players: string[] } }>(`SELECT payload FROM game.outbox WHERE aggregate_id = $1 AND type = 'battle.started'`, [battleId]);
        assert.deepEqual(events.rows.map((row) => row.payload), [{ battleId, mode: "ranked", players: rows[0]!.players }]);
      }
    } finally {
      battles.close();
      await db.pool.query(`DROP TRIGGER refuse_poisoned ON game.battles`);
      for (const { playerId } of players) await leaveQueue(db.pool, playerId);
    }
  });

  it("leaves a pair alone when one of them left and queued again while the decks were checked", async () => {
    const [a, b] = [await queuedPlayer(), await queuedPlayer()];
    const service = decks();
    const { matchmaker, battles } = matchmakerWith(oneByOne(async (actor, deckId) => {
      if (actor.playerId === b.playerId) {
        assert.ok(await leaveQueue(db.pool, b.playerId));
        assert.ok(await enterQueue(db.pool, { playerId: b.playerId, mode: "casual", deckId, deckPower: 10, inviteCode: null }));
      }
      return service.resolveDeckForMatch(actor, deckId);
    }));
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

  it("queues a deck it checked before in one statement, and checks it in full again once a card left", async () => {
    const [p, other] = [await newPlayer(), await newPlayer()];
    const service = decks();
    const fullChecks: string[] = [];
    const connections = createConnectionRegistry();
    const battles = createBattleService({ pool: db.pool, logger, connections });
    const matchmaker = createMatchmaker({
      pool: db.pool,
      logger,
      battles,
      connections,
      resolveDecks: oneByOne((actor, deckId) => (fullChecks.push(deckId), service.resolveDeckForMatch(actor, deckId))),
      lastDeckCheck: (actor, deckId) => service.lastCheck(actor, deckId),
    });
    const received: ServerMessage[] = [];
    const connection = { playerId: p.playerId, sessionId: "session-1", address: p.address, send: (message: ServerMessage) => void received.push(message) };
    const answer = async (request: Promise<void>) => (await request, received.at(-1)!);
    try {
      assert.equal((await answer(matchmaker.join(connection, 1, "ranked", p.deckId))).type, "queue.joined");
      assert.deepEqual(fullChecks, [p.deckId], "a deck's first join here: the full check");
      assert.equal((await answer(matchmaker.leave(connection, 2))).type, "queue.left");

      const again = await answer(matchmaker.join(connection, 3, "ranked", p.deckId));
      assert.equal(again.type, "queue.joined");
      assert.deepEqual(fullChecks, [p.deckId], "the same deck again: queued without the full check");
      assert.equal((await slotStateOf(db.pool, p.playerId))?.state, "queued");
      assert.equal((await answer(matchmaker.leave(connection, 4))).type, "queue.left");

      const { rows } = await db.pool.query<{ id: string }>(`SELECT unnest(card_ids)::text AS id FROM game.decks WHERE id = $1 LIMIT 1`, [p.deckId]);
      await db.pool.query(`UPDATE game.cards SET holder_id = $1 WHERE id = $2`, [other.playerId, rows[0]!.id]);
      const refused = await answer(matchmaker.join(connection, 5, "ranked", p.deckId));
      assert.equal(refused.type, "error", "a card given away: the deck no longer plays");
      assert.deepEqual(fullChecks, [p.deckId, p.deckId], "the one statement found the deck changed, so the full check ran and refused it");
      assert.equal(await slotStateOf(db.pool, p.playerId), null, "not queued");
    } finally {
      battles.close();
      await leaveQueue(db.pool, p.playerId);
    }
  });

  it("takes a player whose deck no longer plays out of the queue and keeps the partner", async () => {
    const [a, b] = [await queuedPlayer(), await queuedPlayer()];
    const service = decks();
    const { matchmaker, battles } = matchmakerWith(oneByOne(async (actor, deckId) => {
      if (actor.playerId === a.playerId) await db.pool.query(`DELETE FROM game.decks WHERE id = $1`, [deckId]);
      return service.resolveDeckForMatch(actor, deckId);
    }));
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

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { battleCardId } from "@harvest/core/battle/card-from-crafted";
import { AppError } from "@harvest/core/errors/error-codes";
import { createOwnershipReader } from "../ownership/ownership-reader.ts";
import { findOrCreatePlayer } from "../players/players.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createDeckService } from "./deck-service.ts";

describe("the deck check of a match", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase("deck_service");
  });
  after(async () => {
    await db?.drop();
  });

  let players = 0;
  async function playerWithStarterDeck() {
    players += 1;
    const address = `0x${(0xe000 + players).toString(16).padStart(40, "0")}`;
    const { id: playerId } = await findOrCreatePlayer(db.pool, address);
    const service = createDeckService({ pool: db.pool, ownership: createOwnershipReader({ pool: db.pool, viewsSchema: "chain" }) });
    const { deck } = await service.claimStarterPack({ playerId, address });
    return { actor: { playerId, address }, deckId: deck.id as string, cardIds: deck.cardIds as string[], service };
  }

  it("checks many decks in one call, each on its own: playable, a card given away since, not the player's, unknown", async () => {
    const [a, b, c] = [await playerWithStarterDeck(), await playerWithStarterDeck(), await playerWithStarterDeck()];
    const given = b.cardIds[0]!;
    await db.pool.query(`UPDATE game.cards SET holder_id = $2 WHERE id = $1`, [given, c.actor.playerId]);

    const checked = await a.service.resolveDecksForMatch([
      { actor: a.actor, deckId: a.deckId },
      { actor: b.actor, deckId: b.deckId },
      { actor: a.actor, deckId: c.deckId },
      { actor: c.actor, deckId: randomUUID() },
      { actor: c.actor, deckId: c.deckId.toUpperCase() },
    ]);
    assert.equal(checked.length, 5);
    const [ok, sold, notTheirs, unknown, alsoOk] = checked;
    assert.ok(ok !== undefined && !(ok instanceof Error) && alsoOk !== undefined && !(alsoOk instanceof Error));
    assert.equal(ok.deckId, a.deckId);
    assert.deepEqual(ok.cards.map((card) => card.id), a.cardIds.map(battleCardId), "the deck's cards, in deck order");
    assert.ok(ok.power > 0);
    assert.equal(alsoOk.deckId, c.deckId, "a deck id in capitals is the same deck");
    assert.ok(sold instanceof AppError && sold.code === "RULE_VIOLATION");
    assert.deepEqual((sold.details as { cardIds: string[] }).cardIds, [given]);
    assert.ok(notTheirs instanceof AppError && notTheirs.code === "NOT_FOUND", "another player's deck is as absent as a missing one");
    assert.ok(unknown instanceof AppError && unknown.code === "NOT_FOUND");

    // One deck alone gives the same answer, and throws what refuses it.
    assert.deepEqual(await a.service.resolveDeckForMatch(a.actor, a.deckId), ok);
    await assert.rejects(b.service.resolveDeckForMatch(b.actor, b.deckId), (error: unknown) => error instanceof AppError && error.code === "RULE_VIOLATION");
    for (const [actor, deckId] of [[a.actor, c.deckId], [c.actor, randomUUID()]] as const) {
      await assert.rejects(a.service.resolveDeckForMatch(actor, deckId), (error: unknown) => error instanceof AppError && error.code === "NOT_FOUND");
    }
    assert.deepEqual(await c.service.resolveDeckForMatch(c.actor, c.deckId.toUpperCase()), alsoOk);
  });

  it("reads who holds each card at every check, with the cards' definitions kept from the first", async () => {
    const a = await playerWithStarterDeck();
    const other = await playerWithStarterDeck();
    const first = await a.service.resolveDeckForMatch(a.actor, a.deckId);
    await db.pool.query(`UPDATE game.cards SET holder_id = $2 WHERE id = $1`, [a.cardIds[3], other.actor.playerId]);
    await assert.rejects(a.service.resolveDeckForMatch(a.actor, a.deckId), (error: unknown) => {
      assert.ok(error instanceof AppError && error.code === "RULE_VIOLATION");
      assert.deepEqual((error.details as { cardIds: string[] }).cardIds, [a.cardIds[3]]);
      return true;
    });
    await db.pool.query(`UPDATE game.cards SET holder_id = $2 WHERE id = $1`, [a.cardIds[3], a.actor.playerId]);
    assert.deepEqual(await a.service.resolveDeckForMatch(a.actor, a.deckId), first, "given back: the same deck plays again");
  });

  it("remembers the last deck of off-chain cards it accepted, for its player only", async () => {
    const a = await playerWithStarterDeck();
    const other = await playerWithStarterDeck();
    assert.equal(a.service.lastCheck(a.actor, a.deckId), undefined, "not checked yet");
    const checked = await a.service.resolveDeckForMatch(a.actor, a.deckId);
    assert.deepEqual(a.service.lastCheck(a.actor, a.deckId.toUpperCase()), { cardIds: a.cardIds, power: checked.power });
    assert.equal(a.service.lastCheck(other.actor, a.deckId), undefined, "another player's deck");
    await db.pool.query(`UPDATE game.cards SET holder_id = $2 WHERE id = $1`, [a.cardIds[0], other.actor.playerId]);
    await assert.rejects(a.service.resolveDeckForMatch(a.actor, a.deckId));
    assert.equal(a.service.lastCheck(a.actor, a.deckId), undefined, "a deck refused since is forgotten");
  });
});

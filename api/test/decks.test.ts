import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deckPower } from "@harvest/core/battle/deck-power";
import type { Card } from "@harvest/core/crafting/card";
import type { TokenResponse } from "@harvest/core/protocol/api-schemas";
import { addResources } from "@harvest/db/farm/inventory-store";
import { reconcileHoldings } from "@harvest/db/farm/reconcile";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { seedIndexerViews } from "../../scripts/fuzz/environment.ts";
import { bearer, login } from "../src/testing/siwe-client.ts";
import { createTestApp } from "../src/testing/test-app.ts";

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** A signed-in player's calls to the deck routes, returning status and body. */
function deckClient(app: Requester, tokens: TokenResponse) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(path, bearer(tokens.token, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
    const text = await response.text();
    // Test bodies are read loosely; the routes' schemas are checked by the OpenAPI validation and the fuzz test.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, any> };
  };
  return {
    list: () => call("GET", "/v1/decks"),
    create: (body: unknown) => call("POST", "/v1/decks", body),
    get: (deckId: string) => call("GET", `/v1/decks/${deckId}`),
    update: (deckId: string, body: unknown) => call("PATCH", `/v1/decks/${deckId}`, body),
    remove: (deckId: string) => call("DELETE", `/v1/decks/${deckId}`),
    claimStarterPack: () => call("POST", "/v1/cards/starter-pack"),
    craft: (recipe: string) => call("POST", "/v1/crafts", { recipe }),
    cards: () => call("GET", "/v1/cards"),
    voucher: (cardId: string) => call("POST", `/v1/cards/${cardId}/voucher`),
  };
}

const haystackSquire: Card = { cardKey: "haystack-squire", kind: "unit", cost: 1, attack: 2, health: 3, abilities: [], rarity: "common", attributes: { recipeId: 2, quality: 100, craftSeed: "0x01" } };

describe("decks and the starter pack through the API", () => {
  let db: TestDatabase;
  let testApp: Awaited<ReturnType<typeof createTestApp>>;

  before(async () => {
    db = await createTestDatabase("decks");
    // The indexer's views, emptied: each test puts in the tokens it needs.
    await seedIndexerViews(db.pool);
    await db.pool.query(`DELETE FROM chain.token; DELETE FROM chain.transfer`);
    testApp = await createTestApp({ pool: db.pool, rpcUrl: "http://127.0.0.1:1", chainId: 31337 });
  });
  after(async () => {
    await testApp?.stop();
    await db?.drop();
  });

  async function newPlayer() {
    const account = privateKeyToAccount(generatePrivateKey());
    const tokens = await login(testApp.app, account);
    const me = (await (await testApp.app.request("/v1/me", { headers: { authorization: `Bearer ${tokens.token}` } })).json()) as { id: string };
    return { playerId: me.id, address: account.address.toLowerCase(), api: deckClient(testApp.app, tokens) };
  }

  /** A player with the starter pack claimed: its 20 card ids and the Starter deck. */
  async function starterPlayer() {
    const player = await newPlayer();
    const claimed = await player.api.claimStarterPack();
    assert.equal(claimed.status, 201, JSON.stringify(claimed.body));
    return { ...player, starterIds: claimed.body.cards.map((c: { id: string }) => c.id) as string[], starterDeck: claimed.body.deck };
  }

  /** Crafts `n` Haystack Squires for the player through the crafting route. */
  async function craftSquires(player: { playerId: string; api: ReturnType<typeof deckClient> }, n: number): Promise<string[]> {
    await addResources(db.pool, player.playerId, [{ kind: "grain", quality: 1, quantity: 10 * n }]);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const crafted = await player.api.craft("haystack-squire");
      assert.equal(crafted.status, 200, JSON.stringify(crafted.body));
      ids.push(crafted.body.id);
    }
    return ids;
  }

  /** A minted card of the player's (as the minting saga leaves it), with its token in the indexer's views. */
  async function mintedCard(player: { playerId: string; address: string }): Promise<string> {
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO game.cards (holder_id, crafter_id, recipe_key, recipe_id, card, attributes_hash, random_seed, status, minted_at)
       VALUES ($1, $1, 'haystack-squire', 2, $2, '0x' || repeat('ab', 32), '0x01', 'minted', now()) RETURNING id`,
      [player.playerId, JSON.stringify(haystackSquire)],
    );
    const id = rows[0]!.id;
    await db.pool.query(
      `INSERT INTO chain.token (collection, token_id, contract, owner, minted_block, updated_block, crafter, recipe_id, edition, attributes_hash)
       VALUES ('card', $1, '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512', $2, 1, 1, $2, 2, 1, '0x' || repeat('ab', 32))`,
      [id, player.address],
    );
    return id;
  }

  const rentTo = (cardId: string, renter: string | null, expiresInSeconds: number) =>
    db.pool.query(`UPDATE chain.token SET "user" = $2, user_expires = $3 WHERE collection = 'card' AND token_id = $1`, [cardId, renter, renter === null ? null : Math.floor(Date.now() / 1000) + expiresInSeconds]);

  it("claims the starter pack once: 20 unmintable cards, a Starter deck of them, and a ledger that reconciles", async () => {
    const { api, playerId, starterIds, starterDeck } = await starterPlayer();
    assert.equal(starterIds.length, 20);
    assert.equal(starterDeck.name, "Starter");
    assert.deepEqual(starterDeck.cardIds, starterIds);
    assert.ok(starterDeck.power > 0);
    const again = await api.claimStarterPack();
    assert.deepEqual([again.status, again.body.error.code], [409, "CONFLICT"]);
    const cards = (await api.cards()).body as { id: string; recipe: string; status: string }[];
    assert.deepEqual(cards.map((c) => c.id), starterIds);
    assert.ok(cards.every((c) => c.recipe.startsWith("starter-") && c.status === "offchain"));
    const voucher = await api.voucher(starterIds[0]!);
    assert.deepEqual([voucher.status, voucher.body.error.details.reason], [422, "STARTER_CARD"]);
    assert.deepEqual((await reconcileHoldings(db.pool)).filter((drift) => drift.playerId === playerId), []);
    const { rows } = await db.pool.query(`SELECT type, payload FROM game.outbox WHERE aggregate_type = 'farm' AND aggregate_id = $1`, [playerId]);
    assert.deepEqual(rows.map((r) => [r.type, r.payload.delta]), [["starter_pack.claimed", { cards: 20 }]]);
  });

  it("creates, lists, reads, renames, re-cards and deletes a deck", async () => {
    const player = await starterPlayer();
    const { api, starterIds } = player;
    const squires = await craftSquires(player, 3);
    const created = await api.create({ name: "  Rush  ", cardIds: starterIds.slice(0, 20) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.name, "Rush", "the name is trimmed");
    const deckId = created.body.id as string;
    assert.deepEqual((await api.list()).body.decks.map((d: { name: string }) => d.name), ["Starter", "Rush"]);

    const read = await api.get(deckId);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.cards.map((c: { id: string }) => c.id), starterIds.map((id) => `c${id}`));
    assert.equal(read.body.power, deckPower(read.body.cards));

    const renamed = await api.update(deckId, { name: "Harvest rush" });
    assert.deepEqual([renamed.status, renamed.body.name, renamed.body.cardIds], [200, "Harvest rush", starterIds]);
    const recarded = await api.update(deckId, { cardIds: [...starterIds.slice(0, 17), ...squires] });
    assert.equal(recarded.status, 200, JSON.stringify(recarded.body));
    assert.deepEqual(recarded.body.cardIds, [...starterIds.slice(0, 17), ...squires]);
    assert.equal(recarded.body.name, "Harvest rush");
    assert.ok(recarded.body.updatedAt >= renamed.body.updatedAt);

    assert.equal((await api.remove(deckId)).status, 204);
    assert.equal((await api.get(deckId)).status, 404);
    assert.equal((await api.remove(deckId)).status, 404);
    assert.deepEqual((await api.list()).body.decks.map((d: { name: string }) => d.name), ["Starter"]);
    const { rows } = await db.pool.query(`SELECT type FROM game.outbox WHERE aggregate_type = 'deck' AND aggregate_id = $1 ORDER BY id`, [deckId]);
    assert.deepEqual(rows.map((r) => r.type), ["deck.created", "deck.updated", "deck.updated", "deck.deleted"]);
  });

  it("answers 404 for another player's deck, to read, change or delete, and leaves it as it was", async () => {
    const alice = await starterPlayer();
    const bob = await starterPlayer();
    const deckId = alice.starterDeck.id as string;
    assert.equal((await bob.api.get(deckId)).status, 404);
    assert.equal((await bob.api.update(deckId, { name: "Mine now" })).status, 404);
    assert.equal((await bob.api.update(deckId, { cardIds: bob.starterIds })).status, 404);
    assert.equal((await bob.api.remove(deckId)).status, 404);
    assert.equal((await bob.api.get("00000000-0000-4000-8000-000000000000")).status, 404);
    const theirs = await alice.api.get(deckId);
    assert.deepEqual([theirs.body.name, theirs.body.cardIds], ["Starter", alice.starterIds]);
    await assert.rejects(testApp.decks.resolveDeckForMatch({ playerId: bob.playerId, address: bob.address }, deckId), { code: "NOT_FOUND" });
  });

  it("refuses decks of 19 or 31 cards, 4 copies of a recipe, and cards that are not the player's", async () => {
    const alice = await starterPlayer();
    const bob = await starterPlayer();
    const squires = await craftSquires(alice, 11);
    const reasonOf = (r: { status: number; body: Record<string, { details: { reason: string; message?: string; cardIds?: string[] } }> }) => [r.status, r.body.error?.details.reason];

    const small = await alice.api.create({ name: "Small", cardIds: alice.starterIds.slice(0, 19) });
    assert.deepEqual(reasonOf(small), [422, "INVALID_DECK"]);
    assert.match(small.body.error.details.message, /20 to 30 cards/);
    const big = await alice.api.create({ name: "Big", cardIds: [...alice.starterIds, ...squires] });
    assert.deepEqual(reasonOf(big), [422, "INVALID_DECK"]);
    const fourCopies = await alice.api.create({ name: "Squires", cardIds: [...alice.starterIds.slice(0, 16), ...squires.slice(0, 4)] });
    assert.deepEqual(reasonOf(fourCopies), [422, "INVALID_DECK"]);
    assert.match(fourCopies.body.error.details.message, /at most 3 copies of haystack-squire/);
    const twice = await alice.api.create({ name: "Twice", cardIds: [...alice.starterIds.slice(0, 19), alice.starterIds[0]] });
    assert.deepEqual(reasonOf(twice), [422, "INVALID_DECK"], "one card cannot be in a deck twice");

    const bobsCard = bob.starterIds[0]!;
    const stolen = await alice.api.create({ name: "Stolen", cardIds: [...alice.starterIds.slice(0, 19), bobsCard] });
    assert.deepEqual(reasonOf(stolen), [422, "CARDS_NOT_USABLE"]);
    assert.deepEqual(stolen.body.error.details.cardIds, [bobsCard]);
    const missing = await alice.api.create({ name: "Missing", cardIds: [...alice.starterIds.slice(0, 19), "999999999"] });
    assert.deepEqual(missing.body.error.details.cardIds, ["999999999"]);
    const patched = await alice.api.update(alice.starterDeck.id, { cardIds: [...alice.starterIds.slice(0, 19), bobsCard] });
    assert.deepEqual(reasonOf(patched), [422, "CARDS_NOT_USABLE"]);
    assert.deepEqual((await alice.api.get(alice.starterDeck.id)).body.cardIds, alice.starterIds, "a refused change changes nothing");
    assert.deepEqual((await alice.api.list()).body.decks.length, 1);
  });

  it("refuses a second deck of the same name (whatever the case) with 409, and malformed requests with 400", async () => {
    const { api, starterIds, starterDeck } = await starterPlayer();
    const rush = await api.create({ name: "Rush", cardIds: starterIds });
    assert.equal(rush.status, 201);
    const same = await api.create({ name: "rUSH ", cardIds: starterIds });
    assert.deepEqual([same.status, same.body.error.code], [409, "CONFLICT"]);
    assert.equal((await api.update(starterDeck.id, { name: "RUSH" })).status, 409);
    assert.equal((await api.update(rush.body.id, { name: "RUSH" })).status, 200, "a deck may change its own name's case");
    for (const body of [{ name: "", cardIds: starterIds }, { name: "x".repeat(41), cardIds: starterIds }, { name: "A", cardIds: ["1x"] }, { name: "A", cardIds: starterIds, id: "1" }, { cardIds: starterIds }]) {
      const refused = await api.create(body);
      assert.deepEqual([refused.status, refused.body.error.code], [400, "VALIDATION_FAILED"], JSON.stringify(body));
    }
    assert.equal((await api.update(rush.body.id, {})).status, 400, "a change must change something");
    assert.equal((await api.update(rush.body.id, { playerId: "1" })).status, 400);
    assert.equal((await api.get("not-a-uuid")).status, 400);
  });

  it("keeps at most 20 decks a player", async () => {
    const { api, starterIds } = await starterPlayer();
    for (let i = 2; i <= 20; i++) assert.equal((await api.create({ name: `Deck ${i}`, cardIds: starterIds })).status, 201);
    const over = await api.create({ name: "Deck 21", cardIds: starterIds });
    assert.deepEqual([over.status, over.body.error.details.reason], [422, "TOO_MANY_DECKS"]);
    assert.equal((await api.list()).body.decks.length, 20);
  });

  it("resolves a deck at match start, and refuses it once an off-chain card has gone to another player", async () => {
    const alice = await starterPlayer();
    const bob = await newPlayer();
    const actor = { playerId: alice.playerId, address: alice.address };
    const resolved = await testApp.decks.resolveDeckForMatch(actor, alice.starterDeck.id);
    assert.equal(resolved.deckId, alice.starterDeck.id);
    assert.deepEqual(resolved.cards.map((c) => c.id), alice.starterIds.map((id) => `c${id}`));
    assert.equal(resolved.power, deckPower(resolved.cards));
    assert.equal(resolved.power, alice.starterDeck.power);

    const given = alice.starterIds[5]!;
    await db.pool.query(`UPDATE game.cards SET holder_id = $2 WHERE id = $1`, [given, bob.playerId]);
    await assert.rejects(testApp.decks.resolveDeckForMatch(actor, alice.starterDeck.id), (error: { code: string; details: unknown }) => {
      assert.equal(error.code, "RULE_VIOLATION");
      assert.deepEqual(error.details, { reason: "CARDS_NOT_USABLE", cardIds: [given] });
      return true;
    });
    assert.equal((await alice.api.get(alice.starterDeck.id)).status, 200, "the stored deck is still readable, to be fixed");
  });

  it("lets the owner use a minted card until it is rented out, and the renter while the rental lasts", async () => {
    const alice = await starterPlayer();
    const bob = await starterPlayer();
    const minted = await mintedCard(alice);
    const aliceActor = { playerId: alice.playerId, address: alice.address };
    const bobActor = { playerId: bob.playerId, address: bob.address };
    assert.equal((await bob.api.create({ name: "Borrowed", cardIds: [...bob.starterIds.slice(0, 19), minted] })).body.error.details.reason, "CARDS_NOT_USABLE", "not rented yet");
    const aliceDeck = await alice.api.create({ name: "With a token", cardIds: [...alice.starterIds.slice(0, 19), minted] });
    assert.equal(aliceDeck.status, 201, JSON.stringify(aliceDeck.body));
    assert.equal((await testApp.decks.resolveDeckForMatch(aliceActor, aliceDeck.body.id)).cards.length, 20);

    await rentTo(minted, bob.address, 86_400);
    await assert.rejects(testApp.decks.resolveDeckForMatch(aliceActor, aliceDeck.body.id), { code: "RULE_VIOLATION", details: { reason: "CARDS_NOT_USABLE", cardIds: [minted] } });
    const bobDeck = await bob.api.create({ name: "Borrowed", cardIds: [...bob.starterIds.slice(0, 19), minted] });
    assert.equal(bobDeck.status, 201, JSON.stringify(bobDeck.body));
    assert.equal((await testApp.decks.resolveDeckForMatch(bobActor, bobDeck.body.id)).cards.at(-1)!.id, `c${minted}`);

    await rentTo(minted, bob.address, -60);
    await assert.rejects(testApp.decks.resolveDeckForMatch(bobActor, bobDeck.body.id), { details: { reason: "CARDS_NOT_USABLE", cardIds: [minted] } });
    assert.equal((await testApp.decks.resolveDeckForMatch(aliceActor, aliceDeck.body.id)).cards.length, 20, "the rental is over");
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createWalletClient, http, parseEther } from "viem";
import { hardhat } from "viem/chains";
import { harvestCardAbi, harvestLandAbi } from "@harvest/core/chain/abis.generated";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { addResources } from "@harvest/db/farm/inventory-store";
import { reconcileHoldings } from "@harvest/db/farm/reconcile";
import { findFreePort } from "@harvest/db/testing/free-port";
import { createTestApp } from "../../api/src/testing/test-app.ts";
import { bearer, login } from "../../api/src/testing/siwe-client.ts";
import { farmClient } from "../../api/test/farm-helpers.ts";
import { startIndexer } from "../../scripts/stack/indexer.ts";
import { waitFor, type ManagedProcess } from "../../scripts/stack/processes.ts";
import { startTestChain, type TestChain } from "../../scripts/stack/test-chain.ts";
import { createLogger } from "@harvest/core/logging/logger";
import { startGameServer } from "../../game-server/src/game-server.ts";
import { TestClient } from "../../game-server/test/test-client.ts";

describe("end to end: login -> plant -> clock -> harvest -> craft -> voucher -> mint -> indexed -> owned", () => {
  let db: TestDatabase;
  let chain: TestChain;
  let indexer: ManagedProcess;
  let testApp: Awaited<ReturnType<typeof createTestApp>>;

  before(async () => {
    [db, chain] = await Promise.all([createTestDatabase("farm_e2e"), startTestChain()]);
    indexer = (await startIndexer({ databaseUrl: db.url, rpcUrl: chain.url, deploymentFile: chain.deploymentFile, port: await findFreePort() })).process;
    testApp = await createTestApp({
      pool: db.pool,
      rpcUrl: chain.url,
      chainId: chain.deployment.chainId,
      card: { address: chain.deployment.contracts.HarvestCard.address, chainId: chain.deployment.chainId },
    });
  });

  after(async () => {
    await testApp?.stop();
    await indexer?.stop();
    await chain?.process.stop();
    await db?.drop();
  });

  /** Asks the API for the card's voucher and mints it on the chain from the player's wallet. */
  async function mintWithVoucher(api: ReturnType<typeof farmClient>, player: ReturnType<typeof privateKeyToAccount>, cardId: string) {
    const { body: issued } = await api.voucher(cardId);
    const { voucher } = issued;

    const wallet = createWalletClient({ chain: { ...hardhat, id: chain.deployment.chainId }, transport: http(chain.url), account: player });
    const hash = await wallet.writeContract({
      address: issued.contract,
      abi: harvestCardAbi,
      functionName: "mintWithVoucher",
      args: [
        {
          cardId: BigInt(voucher.cardId),
          recipeId: BigInt(voucher.recipeId),
          attributesHash: voucher.attributesHash,
          crafter: voucher.crafter,
          recipient: voucher.recipient,
          nonce: BigInt(voucher.nonce),
          deadline: BigInt(voucher.deadline),
        },
        voucher.signature,
      ],
    });
    await chain.confirm(hash);
  }

  it("ends with the crafted card minted on the chain and listed as the player's", async () => {
    const player = privateKeyToAccount(generatePrivateKey());
    await chain.confirm(await chain.wallet(0).sendTransaction({ to: player.address, value: parseEther("1") }));
    const tokens = await login(testApp.app, player);
    const api = farmClient(testApp.app, tokens);

    // Grow wheat until there is grain for a Haystack Squire (10 grain).
    let grain = 0;
    for (let round = 0; grain < 10 && round < 5; round++) {
      const seeds = (await api.inventory()).body.seeds.filter((s: { crop: string }) => s.crop === "wheat");
      if (seeds.length === 0) assert.equal((await api.buySeeds("wheat", 2)).status, 200);
      const wheat = (await api.inventory()).body.seeds.filter((s: { crop: string }) => s.crop === "wheat").slice(0, 4);
      for (const [i, seed] of wheat.entries()) assert.equal((await api.plant(`starter:${i}`, seed.id)).status, 200);
      assert.equal((await api.harvest("starter:0")).status, 422, "not before the clock moves");
      await testApp.clock.advance(3_600_000);
      for (let i = 0; i < wheat.length; i++) assert.equal((await api.harvest(`starter:${i}`)).status, 200);
      grain = (await api.inventory()).body.resources.filter((r: { kind: string }) => r.kind === "grain").reduce((sum: number, r: { quantity: number }) => sum + r.quantity, 0);
    }
    assert.ok(grain >= 10, `grew ${grain} grain`);

    const crafted = await api.craft("haystack-squire");
    assert.equal(crafted.status, 200);
    await mintWithVoucher(api, player, crafted.body.id);

    await waitFor("the indexer to see the mint", async () => (await testApp.ownership.mayUse(player.address, "card", BigInt(crafted.body.id))).value !== null, 20_000, 100);
    assert.deepEqual(await testApp.crafting.syncMints(), { minted: 1, expired: 0 });
    const cards = (await api.cards()).body as unknown as { id: string; status: string }[];
    assert.deepEqual(cards.find((card) => card.id === crafted.body.id)?.status, "minted");
    const listed = (await (await testApp.app.request(`/v1/wallets/${player.address}/tokens`)).json()) as { tokens: { collection: string; tokenId: string; access: string; attributes: { attributesHash: string } }[] };
    const token = listed.tokens.find((t) => t.collection === "card" && t.tokenId === crafted.body.id);
    assert.equal(token?.access, "owner");
    assert.equal(token?.attributes.attributesHash, crafted.body.attributesHash, "the chain holds the attributes the server crafted");
    assert.equal((await api.voucher(crafted.body.id)).status, 409, "no second voucher for a minted card");
  });

  it("gates a Workshop recipe on a Workshop land the player may use now, and farms that land's plots", async () => {
    const player = privateKeyToAccount(generatePrivateKey());
    const tokens = await login(testApp.app, player);
    const api = farmClient(testApp.app, tokens);
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM game.players WHERE address = $1`, [player.address.toLowerCase()]);
    const playerId = rows[0]!.id;
    await api.inventory();
    await addResources(db.pool, playerId, [{ kind: "gourd", quality: 3, quantity: 4 }, { kind: "grain", quality: 2, quantity: 6 }]);

    const refused = await api.craft("pumpkin-brute");
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.details.reason, "WORKSHOP_REQUIRED");

    await chain.mintLand(player.address, 2, 150, 2);
    await waitFor("the indexer to see the land", async () => (await testApp.ownership.usableTokens(player.address)).value.some((t) => t.collection === "land"), 20_000, 100);
    const farm = await api.farm();
    const landPlots = farm.body.plots.filter((plot: { plotId: string }) => plot.plotId.startsWith("land:"));
    assert.equal(landPlots.length, 2);
    assert.equal(landPlots[0].trait, "workshop");
    const seed = (await api.inventory()).body.seeds[0];
    assert.equal((await api.plant(landPlots[0].plotId, seed.id)).status, 200, "the player farms its own land");

    const crafted = await api.craft("pumpkin-brute");
    assert.equal(crafted.status, 200);
    assert.equal(crafted.body.cardKey, "pumpkin-brute");

    const stranger = farmClient(testApp.app, await login(testApp.app, privateKeyToAccount(generatePrivateKey())));
    const strangersSeed = (await stranger.inventory()).body.seeds[0].id;
    assert.equal((await stranger.plant(landPlots[1].plotId, strangersSeed)).status, 403, "a land the stranger may not use");
    assert.equal((await stranger.harvest(landPlots[0].plotId)).status, 403);
  });
  it("takes a rented land's plots away when the rental ends; the owner's clear settles the renter's crops by the lease rule", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const renter = privateKeyToAccount(generatePrivateKey());
    await chain.confirm(await chain.wallet(0).sendTransaction({ to: owner.address, value: parseEther("1") }));
    await chain.mintLand(owner.address, 2, 100, 0);
    const land = await waitFor(
      "the indexer to see the land",
      async () => (await testApp.ownership.usableTokens(owner.address)).value.find((t) => t.collection === "land"),
      20_000,
      100,
    );
    const head = await chain.publicClient.getBlock();
    const expires = head.timestamp + 600n;
    const ownerWallet = createWalletClient({ chain: { ...hardhat, id: chain.deployment.chainId }, transport: http(chain.url), account: owner });
    await chain.confirm(await ownerWallet.writeContract({ address: chain.deployment.contracts.HarvestLand.address, abi: harvestLandAbi, functionName: "setUser", args: [land.tokenId, renter.address, expires] }));
    await waitFor("the indexer to see the rental", async () => (await testApp.ownership.mayUse(renter.address, "land", land.tokenId)).value !== null, 20_000, 100);

    const renterApi = farmClient(testApp.app, await login(testApp.app, renter));
    const [ripePlot, youngPlot] = [`land:${land.tokenId}:0`, `land:${land.tokenId}:1`];
    const seeds = (await renterApi.inventory()).body.seeds.filter((s: { crop: string }) => s.crop === "wheat");
    assert.equal((await renterApi.plant(ripePlot, seeds[0].id)).status, 200, "the renter farms the land it rents");
    await testApp.clock.advance(3_600_000);
    assert.equal((await renterApi.plant(youngPlot, seeds[1].id)).status, 200);
    const before = (await renterApi.inventory()).body;

    await chain.advanceTime(700);
    await waitFor("the rental to end as the indexer sees it", async () => (await testApp.ownership.mayUse(renter.address, "land", land.tokenId)).value === null, 20_000, 100);
    assert.equal((await renterApi.harvest(ripePlot)).status, 403, "the plots went with the rental");

    const ownerApi = farmClient(testApp.app, await login(testApp.app, owner));
    const plots = (await ownerApi.farm()).body.plots.map((plot: { plotId: string }) => plot.plotId);
    assert.ok(plots.includes(ripePlot) && plots.includes(youngPlot), "the owner farms its land again");
    const occupied = await ownerApi.plant(ripePlot, (await ownerApi.inventory()).body.seeds[0].id);
    assert.deepEqual([occupied.status, occupied.body.error.details.reason], [422, "PLOT_OCCUPIED"], "the renter's crop is still in the ground");
    const ripe = await ownerApi.clear(ripePlot);
    assert.deepEqual([ripe.status, ripe.body.outcome], [200, "harvested_for_planter"], "a ripe crop is harvested for its planter");
    const young = await ownerApi.clear(youngPlot);
    assert.deepEqual([young.status, young.body.outcome], [200, "withered"], "an unripe one withers and its seed goes back");

    const after = (await renterApi.inventory()).body;
    const total = (inventory: typeof before) => inventory.resources.reduce((sum: number, r: { quantity: number }) => sum + r.quantity, 0);
    assert.ok(total(after) > total(before), "the ripe crop's produce is the renter's");
    const wheatSeeds = (inventory: typeof before) => inventory.seeds.filter((s: { crop: string }) => s.crop === "wheat").length;
    assert.ok(wheatSeeds(after) >= wheatSeeds(before) + 1, "the young crop's seed came back to the renter");
    const renterId = (await db.pool.query<{ id: string }>(`SELECT id FROM game.players WHERE address = $1`, [renter.address.toLowerCase()])).rows[0]!.id;
    assert.deepEqual((await reconcileHoldings(db.pool)).filter((drift) => drift.playerId === renterId), [], "the renter's ledger reconciles");
  });

  it("refuses a minted card rented out since its owner built the deck: at queue time and when the match is made; the renter may play it", async () => {
    const game = await startGameServer({
      pool: db.pool,
      tokens: testApp.tokens,
      logger: createLogger("e2e-game", "silent"),
      ownership: testApp.ownership,
      checkHealth: async () => ({ ok: true }) as never,
      port: 0,
      hostname: "127.0.0.1",
      allowedOrigins: [],
      matchTickIntervalMs: 50,
    });
    try {
      const owner = privateKeyToAccount(generatePrivateKey());
      const renter = privateKeyToAccount(generatePrivateKey());
      await chain.confirm(await chain.wallet(0).sendTransaction({ to: owner.address, value: parseEther("1") }));
      const ownerTokens = await login(testApp.app, owner);
      const renterTokens = await login(testApp.app, renter);
      const api = farmClient(testApp.app, ownerTokens);
      await api.inventory();
      const ownerId = (await db.pool.query<{ id: string }>(`SELECT id FROM game.players WHERE address = $1`, [owner.address.toLowerCase()])).rows[0]!.id;
      await addResources(db.pool, ownerId, [{ kind: "grain", quality: 2, quantity: 10 }]);
      const crafted = await api.craft("haystack-squire");
      assert.equal(crafted.status, 200);
      const cardId = crafted.body.id as string;
      await mintWithVoucher(api, owner, cardId);
      await waitFor("the indexer to see the mint", async () => (await testApp.ownership.mayUse(owner.address, "card", BigInt(cardId))).value !== null, 20_000, 100);
      assert.equal((await testApp.crafting.syncMints()).minted, 1, "the API's mint sync links token and card");

      // Each player: the starter pack, and a deck of 19 of its cards plus the minted one.
      const packs = new Map<string, string[]>();
      const deckWithCard = async (token: string) => {
        if (!packs.has(token)) {
          const claimed = await testApp.app.request("/v1/cards/starter-pack", bearer(token, { method: "POST" }));
          const pack = (await claimed.json()) as { deck: { cardIds: string[] } };
          assert.equal(claimed.status, 201, JSON.stringify(pack));
          packs.set(token, pack.deck.cardIds);
        }
        const response = await testApp.app.request("/v1/decks", bearer(token, { method: "POST", body: JSON.stringify({ name: `With the squire ${Date.now()}`, cardIds: [...packs.get(token)!.slice(0, 19), cardId] }) }));
        return { status: response.status, body: (await response.json()) as { id: string; error?: { details: unknown } } };
      };
      const ownerDeck = await deckWithCard(ownerTokens.token);
      assert.equal(ownerDeck.status, 201, JSON.stringify(ownerDeck.body));
      const refusedToRenter = await deckWithCard(renterTokens.token);
      assert.equal(refusedToRenter.status, 422, "not the renter's card yet");
      const ownerSocket = await TestClient.connect(game.wsUrl, ownerTokens.token);
      assert.equal((await ownerSocket.request({ type: "queue.join", mode: "casual", deckId: ownerDeck.body.id })).message.type, "queue.joined");

      // The owner rents the card out.
      const expires = BigInt(Math.floor(Date.now() / 1000) + 3_600);
      const ownerWallet = createWalletClient({ chain: { ...hardhat, id: chain.deployment.chainId }, transport: http(chain.url), account: owner });
      await chain.confirm(await ownerWallet.writeContract({ address: chain.deployment.contracts.HarvestCard.address, abi: harvestCardAbi, functionName: "setUser", args: [BigInt(cardId), renter.address, expires] }));
      await waitFor("the indexer to see the rental", async () => (await testApp.ownership.mayUse(renter.address, "card", BigInt(cardId))).value !== null, 20_000, 100);

      // Now the renter may build and queue with it; the match start checks the owner's deck again.
      const renterDeck = await deckWithCard(renterTokens.token);
      assert.equal(renterDeck.status, 201, JSON.stringify(renterDeck.body));
      const renterSocket = await TestClient.connect(game.wsUrl, renterTokens.token);
      assert.equal((await renterSocket.request({ type: "queue.join", mode: "casual", deckId: renterDeck.body.id })).message.type, "queue.joined");
      const removed = (await ownerSocket.waitFor((m) => m.type === "queue.removed")).message;
      assert.equal(removed.code, "RULE_VIOLATION");
      assert.deepEqual(removed.details, { reason: "CARDS_NOT_USABLE", cardIds: [cardId] });
      const again = await ownerSocket.request({ type: "queue.join", mode: "casual", deckId: ownerDeck.body.id });
      assert.deepEqual([again.message.code, again.message.details], ["RULE_VIOLATION", { reason: "CARDS_NOT_USABLE", cardIds: [cardId] }]);
      assert.equal(renterSocket.all.some((m) => m.type === "battle.started"), false);
      ownerSocket.close();
      renterSocket.close();
    } finally {
      await game.close();
    }
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { addResources } from "@harvest/db/farm/inventory-store";
import { reconcileHoldings } from "@harvest/db/farm/reconcile";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { createTestApp } from "../src/testing/test-app.ts";
import { login } from "../src/testing/siwe-client.ts";
import { farmClient } from "./farm-helpers.ts";

const HOUR_MS = 3_600_000;

describe("the farming loop through the API", () => {
  let db: TestDatabase;
  let testApp: Awaited<ReturnType<typeof createTestApp>>;

  before(async () => {
    db = await createTestDatabase("farm");
    testApp = await createTestApp({ pool: db.pool, rpcUrl: "http://127.0.0.1:1", chainId: 31337 });
  });
  after(async () => {
    await testApp?.stop();
    await db?.drop();
  });

  async function newPlayer() {
    const tokens = await login(testApp.app, privateKeyToAccount(generatePrivateKey()));
    const me = (await (await testApp.app.request("/v1/me", { headers: { authorization: `Bearer ${tokens.token}` } })).json()) as { id: string };
    return { tokens, playerId: me.id, api: farmClient(testApp.app, tokens) };
  }

  /** Resources, coins, seeds and cards reconcile exactly with the outbox's events, and none is negative. */
  async function assertReconciles(playerId: string) {
    const drifts = (await reconcileHoldings(db.pool)).filter((drift) => drift.playerId === playerId);
    assert.deepEqual(drifts, []);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM game.resources WHERE player_id = $1 AND quantity < 0`, [playerId]);
    assert.equal(rows[0].n, 0, "no negative balance");
  }

  it("starts every player with a starter farm of 4 plots, 100 coins and 6 seeds", async () => {
    const { api, playerId } = await newPlayer();
    const farm = await api.farm();
    assert.equal(farm.status, 200);
    assert.deepEqual(farm.body.plots.map((p: { plotId: string }) => p.plotId), ["starter:0", "starter:1", "starter:2", "starter:3"]);
    const inventory = await api.inventory();
    assert.equal(inventory.body.coins, 100);
    assert.equal(inventory.body.seeds.length, 6);
    await assertReconciles(playerId);
  });

  it("plants, refuses an early harvest, harvests once the game clock has moved, and reconciles", async () => {
    const { api, playerId } = await newPlayer();
    const seed = (await api.inventory()).body.seeds.find((s: { crop: string }) => s.crop === "wheat");
    const planted = await api.plant("starter:0", seed.id);
    assert.equal(planted.status, 200);
    assert.equal((await api.plant("starter:0", (await api.inventory()).body.seeds[0].id)).body.error.details.reason, "PLOT_OCCUPIED");
    const early = await api.harvest("starter:0");
    assert.equal(early.status, 422);
    assert.equal(early.body.error.details.reason, "NOT_READY");
    await testApp.clock.advance(HOUR_MS);
    const harvested = await api.harvest("starter:0");
    assert.equal(harvested.status, 200);
    assert.ok(harvested.body.resources.length > 0 && harvested.body.resources.every((r: { kind: string }) => r.kind === "grain"));
    assert.match(harvested.body.randomSeed, /^0x[0-9a-f]{64}$/);
    assert.equal((await api.harvest("starter:0")).body.error.details.reason, "PLOT_EMPTY");
    await assertReconciles(playerId);
  });

  it("refuses plots, seeds and cards that are not the player's", async () => {
    const alice = await newPlayer();
    const bob = await newPlayer();
    const bobsSeed = (await bob.api.inventory()).body.seeds[0].id;
    assert.equal((await alice.api.plant("starter:1", bobsSeed)).status, 404, "another player's seed");
    const land = await alice.api.plant("land:1:0", (await alice.api.inventory()).body.seeds[0].id);
    assert.deepEqual([land.status, land.body.error.code], [503, "INDEXER_NOT_READY"], "no indexer here: a land is never guessed");
    assert.equal((await bob.api.plant("starter:1", bobsSeed)).status, 200, "the seed was untouched");
    assert.equal((await alice.api.harvest("starter:1")).body.error.details.reason, "PLOT_EMPTY", "her starter plot is not his");
    assert.equal((await alice.api.voucher("1")).status, 404);
  });

  it("gives one harvest of many concurrent harvests of a plot", async () => {
    const { api, playerId } = await newPlayer();
    await api.plant("starter:2", (await api.inventory()).body.seeds[0].id);
    await testApp.clock.advance(4 * HOUR_MS);
    const results = await Promise.all(Array.from({ length: 12 }, () => api.harvest("starter:2")));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    assert.ok(results.every((r) => r.status === 200 || r.status === 409 || r.status === 422), JSON.stringify(results.map((r) => r.status)));
    await assertReconciles(playerId);
  });

  it("gives exactly one harvest of 20 concurrent harvests of a plot beside a neighbour, and the ledger reconciles", async () => {
    const { api, playerId } = await newPlayer();
    const seeds = (await api.inventory()).body.seeds.filter((s: { crop: string }) => s.crop === "wheat");
    assert.equal((await api.plant("starter:0", seeds[0].id)).status, 200);
    assert.equal((await api.plant("starter:1", seeds[1].id)).status, 200);
    await testApp.clock.advance(4 * HOUR_MS);
    const before = await db.pool.query(`SELECT count(*)::int AS n FROM game.outbox WHERE aggregate_id = $1 AND type = 'farm.harvested'`, [playerId]);
    const results = await Promise.all(Array.from({ length: 20 }, () => api.harvest("starter:0")));
    const won = results.filter((r) => r.status === 200);
    assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status)));
    assert.ok(
      results.filter((r) => r.status !== 200).every((r) => (r.status === 409 && r.body.error.code === "CONFLICT") || (r.status === 422 && r.body.error.details.reason === "PLOT_EMPTY")),
      JSON.stringify(results.map((r) => [r.status, r.body.error?.details?.reason ?? r.body.error?.code])),
    );
    const after = await db.pool.query(`SELECT count(*)::int AS n FROM game.outbox WHERE aggregate_id = $1 AND type = 'farm.harvested'`, [playerId]);
    assert.equal(after.rows[0].n - before.rows[0].n, 1, "one event");
    const inventory = (await api.inventory()).body;
    assert.deepEqual(inventory.resources, won[0]!.body.resources);
    assert.equal(inventory.seeds.length, 6 - 2 + won[0]!.body.seeds.length);
    const farm = (await api.farm()).body;
    assert.deepEqual(farm.plots.map((p: { planting: unknown }) => p.planting !== null), [false, true, false, false], "the neighbour still grows");
    await assertReconciles(playerId);
  });

  it("answers each of several players' concurrent harvests (group-committed together) with its own outcome, and the ledger reconciles", async () => {
    const farmers = await Promise.all(Array.from({ length: 4 }, () => newPlayer()));
    for (const { api } of farmers) {
      const seeds = (await api.inventory()).body.seeds;
      for (const plotId of ["starter:0", "starter:1", "starter:2"]) assert.equal((await api.plant(plotId, seeds.shift().id)).status, 200);
    }
    await testApp.clock.advance(4 * HOUR_MS);
    // Every farmer's three ripe plots twice over, and their empty fourth plot: all at once.
    const asks = farmers.flatMap((farmer, who) => ["starter:0", "starter:1", "starter:2", "starter:3", "starter:2", "starter:1", "starter:0"].map((plotId) => ({ who, plotId, farmer })));
    const results = await Promise.all(asks.map(({ farmer, plotId }) => farmer.api.harvest(plotId)));
    for (const [who, farmer] of farmers.entries()) {
      const mine = results.filter((_, i) => asks[i]!.who === who);
      const won = mine.filter((r) => r.status === 200);
      assert.equal(won.length, 3, `one harvest per ripe plot: ${JSON.stringify(mine.map((r) => r.status))}`);
      assert.deepEqual(won.map((r) => r.body.plotId).sort(), ["starter:0", "starter:1", "starter:2"]);
      assert.ok(
        mine.filter((r) => r.status !== 200).every((r) => (r.status === 409 && r.body.error.code === "CONFLICT") || (r.status === 422 && r.body.error.details.reason === "PLOT_EMPTY")),
        JSON.stringify(mine.map((r) => [r.status, r.body.error?.details?.reason ?? r.body.error?.code])),
      );
      const grain = new Map<string, number>();
      for (const r of won) for (const s of r.body.resources as { kind: string; quality: number; quantity: number }[]) grain.set(`${s.kind}:${s.quality}`, (grain.get(`${s.kind}:${s.quality}`) ?? 0) + s.quantity);
      const inventory = (await farmer.api.inventory()).body;
      assert.deepEqual(new Map(inventory.resources.map((s: { kind: string; quality: number; quantity: number }) => [`${s.kind}:${s.quality}`, s.quantity])), grain, "their answers add up to their inventory");
      assert.equal(inventory.seeds.length, 6 - 3 + won.reduce((n, r) => n + r.body.seeds.length, 0));
      await assertReconciles(farmer.playerId);
    }
  });

  it("plants a seed once of concurrent plants, and keeps the seeds of planters who lost the plot", async () => {
    const { api, playerId } = await newPlayer();
    const seeds = (await api.inventory()).body.seeds;
    // One seed on many plots: one plant takes it, the rest find it gone.
    const oneSeed = await Promise.all(["starter:0", "starter:1", "starter:2", "starter:3"].map((plotId) => api.plant(plotId, seeds[0].id)));
    assert.equal(oneSeed.filter((r) => r.status === 200).length, 1, JSON.stringify(oneSeed.map((r) => r.status)));
    assert.ok(oneSeed.filter((r) => r.status !== 200).every((r) => r.status === 404));
    // Many seeds on one plot: one plants, the others get their seed back (occupied or conflict).
    const free = (await api.farm()).body.plots.find((p: { planting: unknown }) => p.planting === null).plotId;
    const onePlot = await Promise.all(seeds.slice(1).map((seed: { id: string }) => api.plant(free, seed.id)));
    assert.equal(onePlot.filter((r) => r.status === 200).length, 1, JSON.stringify(onePlot.map((r) => r.status)));
    assert.ok(onePlot.filter((r) => r.status !== 200).every((r) => (r.status === 409 && r.body.error.code === "CONFLICT") || r.body.error?.details?.reason === "PLOT_OCCUPIED"));
    assert.equal((await api.inventory()).body.seeds.length, seeds.length - 2);
    await assertReconciles(playerId);
  });

  it("never spends one resource twice: of concurrent crafts only those the inputs cover succeed", async () => {
    const { api, playerId } = await newPlayer();
    // Exactly enough grain for two Haystack Squires (10 each), given through a recorded event.
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await addResources(client, playerId, [{ kind: "grain", quality: 1, quantity: 20 }]);
      await client.query(`INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload) VALUES ('farm', $1, 'test.granted', $2)`, [playerId, JSON.stringify({ delta: { resources: [{ kind: "grain", quality: 1, quantity: 20 }] } })]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const results = await Promise.all(Array.from({ length: 6 }, () => api.craft("haystack-squire")));
    assert.equal(results.filter((r) => r.status === 200).length, 2, JSON.stringify(results.map((r) => r.status)));
    assert.ok(results.filter((r) => r.status !== 200).every((r) => r.status === 422));
    assert.equal((await api.inventory()).body.resources.length, 0);
    await assertReconciles(playerId);
  });

  it("sells to the vendor at falling prices and buys seeds with the coins", async () => {
    const { api, playerId } = await newPlayer();
    await api.plant("starter:0", (await api.inventory()).body.seeds[0].id);
    await testApp.clock.advance(HOUR_MS);
    const crop = await api.harvest("starter:0");
    const stack = crop.body.resources[0];
    const sold = await api.sell(stack.kind, stack.quality, 1);
    assert.equal(sold.status, 200);
    assert.ok(sold.body.coins > 0);
    assert.equal(sold.body.balance, 100 + sold.body.coins);
    assert.equal((await api.sell(stack.kind, stack.quality, 10_000)).body.error.details.reason, "NOT_ENOUGH_RESOURCES");
    const bought = await api.buySeeds("wheat", 1);
    assert.equal(bought.status, 200);
    assert.equal(bought.body.balance, sold.body.balance - bought.body.price);
    assert.equal((await api.buySeeds("emberroot", 100)).body.error.details.reason, "NOT_ENOUGH_COINS");
    assert.equal((await api.sell("gold", 1, 1)).status, 400);
    await assertReconciles(playerId);
  });

  it("reports drift when a table changes without an event", async () => {
    const { api, playerId } = await newPlayer();
    await api.inventory();
    await assertReconciles(playerId);
    await db.pool.query(`UPDATE game.farms SET coins = coins + 5 WHERE player_id = $1`, [playerId]);
    const drifts = (await reconcileHoldings(db.pool)).filter((drift) => drift.playerId === playerId);
    assert.deepEqual(drifts, [{ playerId, what: "coins", fromEvents: 100, inTables: 105 }]);
    await db.pool.query(`UPDATE game.farms SET coins = coins - 5 WHERE player_id = $1`, [playerId]);
  });

  it("issues one voucher per card, even when asked concurrently", async () => {
    const { api, playerId } = await newPlayer();
    const client = await db.pool.connect();
    try {
      await addResources(client, playerId, [{ kind: "petal", quality: 2, quantity: 6 }]);
    } finally {
      client.release();
    }
    const crafted = await api.craft("sunflower-sentinel");
    assert.equal(crafted.status, 200);
    assert.equal(crafted.body.status, "offchain");
    const vouchers = await Promise.all(Array.from({ length: 5 }, () => api.voucher(crafted.body.id)));
    assert.ok(vouchers.every((v) => v.status === 200));
    assert.equal(new Set(vouchers.map((v) => v.body.voucher.nonce)).size, 1, "one nonce");
    assert.equal(vouchers[0]!.body.voucher.cardId, crafted.body.id);
    assert.equal(vouchers[0]!.body.voucher.attributesHash, crafted.body.attributesHash);
  });

  it("sends a card whose voucher expired unused back off-chain, and issues a fresh nonce next time", async () => {
    const { api, playerId } = await newPlayer();
    await addResources(db.pool, playerId, [{ kind: "petal", quality: 1, quantity: 6 }]);
    const crafted = await api.craft("sunflower-sentinel");
    const first = await api.voucher(crafted.body.id);
    await db.pool.query(`UPDATE game.cards SET voucher_deadline = now() - interval '1 minute' WHERE id = $1`, [crafted.body.id]);
    const synced = await testApp.crafting.syncMints();
    assert.equal(synced.expired, 1);
    const cards = (await api.cards()).body as unknown as { id: string; status: string }[];
    assert.equal(cards.find((card) => card.id === crafted.body.id)?.status, "offchain");
    const second = await api.voucher(crafted.body.id);
    assert.notEqual(second.body.voucher.nonce, first.body.voucher.nonce);
  });
});

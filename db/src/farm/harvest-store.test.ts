import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createGroupCommit } from "../group-commit.ts";
import { findOrCreatePlayer } from "../players/players.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { commitHarvest, commitHarvests, commitPlanting, readPlotsAndFields, readSeedAndPlot, type HarvestWrite, type PlotAndField } from "./harvest-store.ts";
import type { StoredPlanting } from "./plantings-store.ts";
import { reconcileHoldings } from "./reconcile.ts";

const GENOME = { vigor: 8, yield: 8, hue: 8, resilience: 8 };

/** A ripe wheat planting (planted at 1 s, ready at 2 s of game time) on starter plot `index` of the player. */
const starterPlanting = (playerId: string, index: number, randomSeed: string): StoredPlanting => ({
  plotId: `starter:${index}`,
  plotKey: `starter:${playerId}:${index}`,
  fieldKey: `starter:${playerId}`,
  planterId: playerId,
  crop: "wheat",
  genome: GENOME,
  plantedAtMs: 1_000,
  readyAtMs: 2_000,
  randomSeed,
});

describe("the one-statement plant and harvest writes", () => {
  let db: TestDatabase;
  let playerId: string;
  before(async () => {
    db = await createTestDatabase("harvest_store");
    playerId = (await findOrCreatePlayer(db.pool, `0x${"cd".repeat(20)}`)).id;
  });
  after(async () => {
    await db?.drop();
  });

  const count = async (sql: string) => (await db.pool.query<{ n: number }>(sql, [playerId])).rows[0]!.n;
  const holdings = async () => ({
    seeds: await count(`SELECT count(*)::int AS n FROM game.seeds WHERE player_id = $1`),
    plantings: await count(`SELECT count(*)::int AS n FROM game.plantings WHERE planter_id = $1`),
    grain: await count(`SELECT coalesce(sum(quantity), 0)::int AS n FROM game.resources WHERE player_id = $1`),
    events: await count(`SELECT count(*)::int AS n FROM game.outbox WHERE aggregate_id = $1::text`),
  });
  const newSeed = async () =>
    (await db.pool.query<{ id: string }>(`INSERT INTO game.seeds (player_id, crop, genome) VALUES ($1, 'wheat', $2) RETURNING id`, [playerId, JSON.stringify(GENOME)])).rows[0]!.id;
  const plantingOn = (index: number, randomSeed: string): StoredPlanting => starterPlanting(playerId, index, randomSeed);

  it("plants: takes the seed, inserts the planting and its event; reads it back with its field", async () => {
    const seedId = await newSeed();
    assert.deepEqual((await readSeedAndPlot(db.pool, playerId, seedId, `starter:${playerId}:0`)).seed, { crop: "wheat", genome: GENOME });
    const before = await holdings();
    assert.equal(await commitPlanting(db.pool, { seedId, planting: plantingOn(0, "s0"), payload: { delta: { seeds: -1 } } }), "planted");
    assert.deepEqual(await holdings(), { ...before, seeds: before.seeds - 1, plantings: before.plantings + 1, events: before.events + 1 });
    const { rows } = await db.pool.query(`SELECT type, aggregate_type, payload FROM game.outbox WHERE aggregate_id = $1::text ORDER BY id DESC LIMIT 1`, [playerId]);
    assert.deepEqual(rows[0], { type: "farm.planted", aggregate_type: "farm", payload: { delta: { seeds: -1 } } });
    const [read] = await readPlotsAndFields(db.pool, [{ plotKey: `starter:${playerId}:1`, fieldKey: `starter:${playerId}` }]);
    assert.equal(read!.planting, null);
    assert.deepEqual(read!.neighbours.map((p) => p.plotId), ["starter:0"]);
    const after = await readSeedAndPlot(db.pool, playerId, seedId, `starter:${playerId}:0`);
    assert.equal(after.seed, null);
    assert.equal(after.occupant?.randomSeed, "s0");
  });

  it("changes nothing when the seed is gone or the plot was taken meanwhile (the seed stays)", async () => {
    const seedId = await newSeed();
    const before = await holdings();
    assert.equal(await commitPlanting(db.pool, { seedId: "999999", planting: plantingOn(1, "x"), payload: {} }), "seed_gone");
    assert.equal(await commitPlanting(db.pool, { seedId, planting: plantingOn(0, "s0-again"), payload: {} }), "plot_taken");
    assert.deepEqual(await holdings(), before);
  });

  it("harvests only the planting that was read, once, with its produce, seeds and event", async () => {
    const planting = plantingOn(0, "s0");
    const write = { planting, resources: [{ kind: "grain" as const, quality: 2, quantity: 3 }], seeds: [{ crop: "wheat" as const, genome: GENOME }], payload: { delta: { resources: [{ kind: "grain", quality: 2, quantity: 3 }], seeds: 1 } } };
    const before = await holdings();
    assert.equal(await commitHarvest(db.pool, { ...write, planting: { ...planting, randomSeed: "another planting" } }), false, "a replaced planting is not harvested");
    assert.equal(await commitHarvest(db.pool, { ...write, planting: { ...planting, plantedAtMs: 999 } }), false);
    assert.deepEqual(await holdings(), before);
    const results = await Promise.all(Array.from({ length: 10 }, () => commitHarvest(db.pool, write)));
    assert.equal(results.filter(Boolean).length, 1);
    assert.deepEqual(await holdings(), { seeds: before.seeds + 1, plantings: before.plantings - 1, grain: before.grain + 3, events: before.events + 1 });
    assert.equal(await commitHarvest(db.pool, write), false);
  });
});

describe("the batched harvest read and write (one statement for many harvests)", () => {
  let db: TestDatabase;
  let players: string[];
  let nextAddress = 0;
  before(async () => {
    db = await createTestDatabase("harvest_batch");
    players = await newPlayers(3);
  });
  after(async () => {
    await db?.drop();
  });

  async function newPlayers(count: number): Promise<string[]> {
    return Promise.all(Array.from({ length: count }, async () => (await findOrCreatePlayer(db.pool, `0x${(++nextAddress).toString(16).padStart(40, "e")}`)).id));
  }
  /** A ripe planting on the player's starter plot, put in the ground directly. */
  async function planted(playerId: string, index: number, randomSeed = `seed:${playerId}:${index}:${Math.random()}`): Promise<StoredPlanting> {
    const planting = starterPlanting(playerId, index, randomSeed);
    await db.pool.query(
      `INSERT INTO game.plantings (plot_key, field_key, planter_id, crop, genome, planted_at_ms, ready_at_ms, random_seed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [planting.plotKey, planting.fieldKey, planting.planterId, planting.crop, JSON.stringify(planting.genome), planting.plantedAtMs, planting.readyAtMs, planting.randomSeed],
    );
    return planting;
  }
  /** A harvest of `planting` as the service writes it: the event's delta records exactly the produce and the seeds. */
  function harvestOf(planting: StoredPlanting, grain: number, seedCount = 0, quality = 1): HarvestWrite {
    const resources = [{ kind: "grain" as const, quality, quantity: grain }];
    const seeds = Array.from({ length: seedCount }, () => ({ crop: "wheat" as const, genome: GENOME }));
    return { planting, resources, seeds, payload: { plotId: planting.plotId, randomSeed: planting.randomSeed, delta: { resources, seeds: seedCount } } };
  }
  const resourcesOf = async (playerId: string) =>
    (await db.pool.query<{ kind: string; quality: number; quantity: number }>(`SELECT kind, quality, quantity FROM game.resources WHERE player_id = $1 ORDER BY kind, quality`, [playerId])).rows;
  const seedCountOf = async (playerId: string) => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM game.seeds WHERE player_id = $1`, [playerId])).rows[0]!.n;
  const eventsOf = async (playerId: string) =>
    (await db.pool.query(`SELECT aggregate_type, aggregate_id, type, payload FROM game.outbox WHERE aggregate_id = $1::text ORDER BY id`, [playerId])).rows;
  const plotsLeft = async (playerIds: readonly string[]) =>
    (await db.pool.query<{ plot_key: string }>(`SELECT plot_key FROM game.plantings WHERE planter_id = ANY($1::bigint[]) ORDER BY plot_key`, [playerIds])).rows.map((r) => r.plot_key);

  it("reads many plots in one query, each as it reads alone", async () => {
    const [alice, bob] = await newPlayers(2);
    await planted(alice!, 0);
    await planted(alice!, 1);
    await planted(bob!, 3);
    const plots = [
      { plotKey: `starter:${alice}:1`, fieldKey: `starter:${alice}` },
      { plotKey: `starter:${bob}:3`, fieldKey: `starter:${bob}` },
      { plotKey: `starter:${alice}:2`, fieldKey: `starter:${alice}` },
      { plotKey: `starter:${alice}:1`, fieldKey: `starter:${alice}` },
      { plotKey: "starter:0:0", fieldKey: "starter:0" },
    ];
    const batched = await readPlotsAndFields(db.pool, plots);
    const sortNeighbours = (read: PlotAndField) => ({ ...read, neighbours: [...read.neighbours].sort((a, b) => a.plotKey.localeCompare(b.plotKey)) });
    for (const [i, plot] of plots.entries()) {
      assert.deepEqual(sortNeighbours(batched[i]!), sortNeighbours((await readPlotsAndFields(db.pool, [plot]))[0]!), plot.plotKey);
    }
    assert.notEqual(batched[0]!.planting, batched[3]!.planting, "each caller gets its own objects");
    assert.deepEqual(await readPlotsAndFields(db.pool, []), []);
  });

  it("harvests several players' plantings in one statement, each answered on its own, with the single statement's rows and events", async () => {
    const [alice, bob, carol] = players as [string, string, string];
    const writes = [harvestOf(await planted(alice, 0), 3, 1), harvestOf(await planted(bob, 0), 2, 0, 2), harvestOf(await planted(carol, 1), 5, 2)];
    const gone = { ...(await planted(carol, 2)), randomSeed: "never planted so" };
    assert.deepEqual(await commitHarvests(db.pool, [...writes, harvestOf(gone, 7)]), [true, true, true, false]);
    assert.deepEqual(await resourcesOf(alice), [{ kind: "grain", quality: 1, quantity: 3 }]);
    assert.deepEqual(await resourcesOf(bob), [{ kind: "grain", quality: 2, quantity: 2 }]);
    assert.deepEqual(await resourcesOf(carol), [{ kind: "grain", quality: 1, quantity: 5 }]);
    assert.deepEqual([await seedCountOf(alice), await seedCountOf(bob), await seedCountOf(carol)], [1, 0, 2]);
    for (const [playerId, write] of [[alice, writes[0]!], [bob, writes[1]!], [carol, writes[2]!]] as const) {
      assert.deepEqual(await eventsOf(playerId), [{ aggregate_type: "farm", aggregate_id: playerId, type: "farm.harvested", payload: write.payload }]);
    }
    assert.deepEqual(await plotsLeft([alice, bob, carol]), [gone.plotKey], "only the replaced planting is left");
    // The single statement writes the very same rows.
    const single = harvestOf(await planted(bob, 1), 2, 0, 2);
    assert.equal(await commitHarvest(db.pool, single), true);
    assert.deepEqual(await resourcesOf(bob), [{ kind: "grain", quality: 2, quantity: 4 }]);
    assert.deepEqual((await eventsOf(bob)).at(-1), { aggregate_type: "farm", aggregate_id: bob, type: "farm.harvested", payload: single.payload });
  });

  it("harvests only the plantings still there when a batch mixes them with harvested and replaced ones", async () => {
    const [dave] = await newPlayers(1);
    const harvested = await planted(dave!, 0);
    assert.equal(await commitHarvest(db.pool, harvestOf(harvested, 1)), true);
    const replaced = await planted(dave!, 1, "the first crop");
    await db.pool.query(`UPDATE game.plantings SET random_seed = 'the second crop' WHERE plot_key = $1`, [replaced.plotKey]);
    const good = [await planted(dave!, 2), await planted(dave!, 3)];
    const before = { events: (await eventsOf(dave!)).length, seeds: await seedCountOf(dave!) };
    const results = await commitHarvests(db.pool, [harvestOf(harvested, 10, 1), harvestOf(good[0]!, 2, 1), harvestOf(replaced, 10, 1), harvestOf(good[1]!, 3, 1)]);
    assert.deepEqual(results, [false, true, false, true]);
    assert.deepEqual(await resourcesOf(dave!), [{ kind: "grain", quality: 1, quantity: 1 + 2 + 3 }]);
    assert.equal(await seedCountOf(dave!), before.seeds + 2);
    assert.equal((await eventsOf(dave!)).length, before.events + 2);
    assert.deepEqual(await plotsLeft([dave!]), [replaced.plotKey], "the replacing crop still grows");
  });

  it("harvests a planting once when two harvests of it are in one batch", async () => {
    const [erin] = await newPlayers(1);
    const planting = await planted(erin!, 0);
    const results = await commitHarvests(db.pool, [harvestOf(planting, 4, 1), harvestOf(planting, 4, 1), harvestOf(planting, 4, 1)]);
    assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
    assert.deepEqual(await resourcesOf(erin!), [{ kind: "grain", quality: 1, quantity: 4 }]);
    assert.equal(await seedCountOf(erin!), 1);
    assert.equal((await eventsOf(erin!)).length, 1);
  });

  it("adds up one player's harvests of one kind and quality in a batch, onto a new row and onto an existing one", async () => {
    const [frank] = await newPlayers(1);
    const first = [await planted(frank!, 0), await planted(frank!, 1), await planted(frank!, 2)];
    assert.deepEqual(await commitHarvests(db.pool, [harvestOf(first[0]!, 3), harvestOf(first[1]!, 4), harvestOf(first[2]!, 5, 0, 2)]), [true, true, true]);
    assert.deepEqual(await resourcesOf(frank!), [{ kind: "grain", quality: 1, quantity: 7 }, { kind: "grain", quality: 2, quantity: 5 }]);
    const second = [await planted(frank!, 0), await planted(frank!, 3)];
    assert.deepEqual(await commitHarvests(db.pool, [harvestOf(second[0]!, 10), harvestOf(second[1]!, 20)]), [true, true]);
    assert.deepEqual(await resourcesOf(frank!), [{ kind: "grain", quality: 1, quantity: 37 }, { kind: "grain", quality: 2, quantity: 5 }]);
  });

  it("harvests each plot once in a concurrent burst of group-committed batches with duplicates, and the ledger reconciles", async () => {
    const burst = await newPlayers(8);
    const plantings = (await Promise.all(burst.map((playerId) => Promise.all([0, 1, 2, 3].map((index) => planted(playerId, index)))))).flat();
    const commit = createGroupCommit<HarvestWrite, boolean>((writes) => commitHarvests(db.pool, writes), { maxBatch: 8, maxInFlight: 3 });
    // Every plot three times over, interleaved, so duplicates meet both within a batch and across batches.
    const writes = [0, 1, 2].flatMap((round) => plantings.map((planting, i) => harvestOf(planting, 1 + ((i + round) % 3), (i + round) % 2, 1 + (i % 2))));
    const results = await Promise.all(writes.map((write) => commit.submit(write)));
    const wins = new Map<string, number>();
    results.forEach((won, i) => won && wins.set(writes[i]!.planting.plotKey, (wins.get(writes[i]!.planting.plotKey) ?? 0) + 1));
    assert.equal(wins.size, plantings.length, "every plot harvested");
    assert.ok([...wins.values()].every((n) => n === 1), "each exactly once");
    assert.deepEqual(await plotsLeft(burst), []);
    const drifts = (await reconcileHoldings(db.pool)).filter((drift) => burst.includes(drift.playerId));
    assert.deepEqual(drifts, []);
    const expectedGrain = writes.filter((_, i) => results[i]).reduce((sum, write) => sum + write.resources[0]!.quantity, 0);
    const { rows } = await db.pool.query<{ n: number }>(`SELECT sum(quantity)::int AS n FROM game.resources WHERE player_id = ANY($1::bigint[])`, [burst]);
    assert.equal(rows[0]!.n, expectedGrain);
  });
});

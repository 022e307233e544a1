import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { findOrCreatePlayer } from "../players/players.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { commitHarvest, commitPlanting, readPlotAndField, readSeedAndPlot } from "./harvest-store.ts";
import type { StoredPlanting } from "./plantings-store.ts";

const GENOME = { vigor: 8, yield: 8, hue: 8, resilience: 8 };

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
  const plantingOn = (index: number, randomSeed: string): StoredPlanting => ({
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

  it("plants: takes the seed, inserts the planting and its event; reads it back with its field", async () => {
    const seedId = await newSeed();
    assert.deepEqual((await readSeedAndPlot(db.pool, playerId, seedId, `starter:${playerId}:0`)).seed, { crop: "wheat", genome: GENOME });
    const before = await holdings();
    assert.equal(await commitPlanting(db.pool, { seedId, planting: plantingOn(0, "s0"), payload: { delta: { seeds: -1 } } }), "planted");
    assert.deepEqual(await holdings(), { ...before, seeds: before.seeds - 1, plantings: before.plantings + 1, events: before.events + 1 });
    const { rows } = await db.pool.query(`SELECT type, aggregate_type, payload FROM game.outbox WHERE aggregate_id = $1::text ORDER BY id DESC LIMIT 1`, [playerId]);
    assert.deepEqual(rows[0], { type: "farm.planted", aggregate_type: "farm", payload: { delta: { seeds: -1 } } });
    const read = await readPlotAndField(db.pool, `starter:${playerId}:1`, `starter:${playerId}`);
    assert.equal(read.planting, null);
    assert.deepEqual(read.neighbours.map((p) => p.plotId), ["starter:0"]);
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

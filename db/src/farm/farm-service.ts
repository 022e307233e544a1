import type pg from "pg";
import { AppError } from "@harvest/core/errors/error-codes";
import { isResourceKind, isCropKind, type CropKind, type ResourceKind } from "@harvest/core/farming/catalogue";
import { plotsFor, type PlotDescriptor } from "@harvest/core/farming/farm";
import { harvest, type HarvestResult } from "@harvest/core/farming/harvest";
import { settleExpiredLease } from "@harvest/core/farming/lease";
import { plant, type Seed } from "@harvest/core/farming/planting";
import { createRng, deriveSeed } from "@harvest/core/farming/random";
import { buyPrice, rollVendorGenome, sellQuote } from "@harvest/core/farming/vendor";
import type { ItemStack } from "@harvest/core/crafting/recipes";
import { createGroupCommit } from "../group-commit.ts";
import { appendEvents } from "../outbox.ts";
import { withTransaction } from "../pool.ts";
import { IndexerNotReadyError, type OwnershipReader } from "../ownership/ownership-reader.ts";
import { commitHarvests, commitPlanting, readPlotsAndFields, readSeedAndPlot, type HarvestWrite, type PlotAndField, type PlotRead } from "./harvest-store.ts";
import { addCoins, addResources, addSeeds, coinsOf, listResources, listSeeds, takeResources } from "./inventory-store.ts";
import { lockPlanting, plantingsOnFields, plotKeyOf, removePlanting, type StoredPlanting } from "./plantings-store.ts";

/** Who is acting: the signed-in player and their wallet. */
export type Actor = { playerId: string; address: string };

/** Changes to a player's holdings that an event records; the reconciliation sums them. */
export type Delta = { coins?: number; resources?: ItemStack[]; seeds?: number };

export type FarmServiceOptions = {
  pool: pg.Pool;
  ownership: OwnershipReader;
  /** The game clock (shared by every instance). */
  gameNowMs: () => Promise<number>;
  /** The server's secret seed every recorded random seed derives from. */
  serverSeed: string;
  /** What a new farm starts with. */
  starterKit?: { coins: number; seeds: { crop: CropKind; count: number }[] };
};

const DEFAULT_STARTER_KIT = { coins: 100, seeds: [{ crop: "wheat" as CropKind, count: 4 }, { crop: "sunflower" as CropKind, count: 2 }] };

const noSuchSeed = (seedId: string) => new AppError("NOT_FOUND", "You have no such seed.", { details: { seedId } });

/** A harvest's produce as inventory stacks (what its event's delta records). */
const stacksOf = (result: Extract<HarvestResult, { ok: true }>): ItemStack[] => result.resources.map((r) => ({ kind: r.kind, quality: r.quality, quantity: r.quantity }));

/** The starter farm, the same for every player (frozen: every request shares it). */
const STARTER_PLOTS: readonly PlotDescriptor[] = Object.freeze(plotsFor({ starter: true, lands: [] }).map((plot) => Object.freeze(plot)));

const ruleBroken = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError("RULE_VIOLATION", message, { details: { reason, ...details } });

/**
 * The farming loop: the farm view, planting, harvesting, clearing, the inventory and the vendor.
 * Every action commits atomically with its outbox event (carrying the holdings it changed, so
 * `reconcileHoldings` can check the tables against the events): in one transaction, or, for the hot
 * plant and harvest, in one guarded statement after an unlocked read (harvest-store.ts). The pure rules
 * decide; this module loads, locks and stores.
 */
export function createFarmService({ pool, ownership, gameNowMs, serverSeed, starterKit = DEFAULT_STARTER_KIT }: FarmServiceOptions) {
  // Under load most of a harvest's cost is per statement (the client's socket writes, Postgres's
  // parse/execute and commit), so the harvests waiting at a moment share one read and one write.
  // A lone harvest still goes at once, and none is answered before its own write has committed.
  const harvestReads = createGroupCommit<PlotRead, PlotAndField>((plots) => readPlotsAndFields(pool, plots));
  const harvestWrites = createGroupCommit<HarvestWrite, boolean>((writes) => commitHarvests(pool, writes));

  async function event(client: pg.PoolClient, actor: Actor, type: string, payload: Record<string, unknown>, delta: Delta) {
    await appendEvents(client, [{ aggregateType: "farm", aggregateId: actor.playerId, type, payload: { ...payload, delta } }]);
  }

  /** Puts a harvest's produce and seeds into `owner`'s inventory, with its event; returns the resources. */
  async function storeHarvest(client: pg.PoolClient, owner: Actor, plotId: string, result: Extract<HarvestResult, { ok: true }>, extra: Record<string, unknown>) {
    const resources = stacksOf(result);
    await addResources(client, owner.playerId, resources);
    await addSeeds(client, owner.playerId, result.seeds);
    await event(client, owner, "farm.harvested", { plotId, randomSeed: result.randomSeed, failed: result.failed, seeds: result.seeds, ...extra }, { resources, seeds: result.seeds.length });
    return resources;
  }

  // Farms are never deleted, so a player seen once needs no second check from this process.
  const knownFarms = new Set<string>();

  /** Creates the farm with its starter kit the first time; a no-op afterwards. */
  async function ensureFarm(actor: Actor): Promise<void> {
    if (knownFarms.has(actor.playerId)) return;
    await withTransaction(pool, async (client) => {
      const { rowCount } = await client.query(`INSERT INTO game.farms (player_id, coins) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [actor.playerId, starterKit.coins]);
      if (rowCount !== 1) return;
      const rng = createRng(deriveSeed(serverSeed, `starter:${actor.playerId}`));
      const seeds: Seed[] = starterKit.seeds.flatMap(({ crop, count }) => Array.from({ length: count }, () => ({ crop, genome: rollVendorGenome(rng) })));
      await addSeeds(client, actor.playerId, seeds);
      await event(client, actor, "farm.created", {}, { coins: starterKit.coins, seeds: seeds.length });
    });
    knownFarms.add(actor.playerId);
  }

  /**
   * The plots the player may use now: the starter farm, and every land they own (not rented out) or
   * rent. While the indexer is starting, `starterOnlyWhileIndexing` shows just the starter farm (a view);
   * otherwise the IndexerNotReadyError goes up and the action gets a 503, never a guess.
   */
  async function usablePlots(actor: Actor, { starterOnlyWhileIndexing = false } = {}): Promise<PlotDescriptor[]> {
    const { value } = await ownership.usableTokens(actor.address).catch((error: unknown) => {
      if (starterOnlyWhileIndexing && error instanceof IndexerNotReadyError) return { value: [] };
      throw error;
    });
    const lands = value
      .filter((token) => token.collection === "land")
      .map((token) => ({ tokenId: token.tokenId, plots: Number(token.attributes.plots), fertility: Number(token.attributes.fertility), trait: Number(token.attributes.trait) }));
    return plotsFor({ starter: true, lands });
  }

  async function plotFor(actor: Actor, plotId: string): Promise<PlotDescriptor> {
    // The starter farm is every player's own: no need to ask the chain.
    const candidates = plotId.startsWith("starter:") ? STARTER_PLOTS : await usablePlots(actor);
    const plot = candidates.find((candidate) => candidate.id === plotId);
    if (!plot) throw new AppError("FORBIDDEN", "That plot is not on a farm you may use now.", { details: { plotId } });
    return plot;
  }

  return {
    ensureFarm,

    /** The farm: every usable plot with what grows there and when it is ready, at game time `nowMs`. */
    async view(actor: Actor) {
      await ensureFarm(actor);
      const [plots, nowMs] = await Promise.all([usablePlots(actor, { starterOnlyWhileIndexing: true }), gameNowMs()]);
      const keys = plots.map((plot) => ({ plot, ...plotKeyOf(plot.id, actor.playerId) }));
      const plantings = await plantingsOnFields(pool, [...new Set(keys.map((k) => k.fieldKey))]);
      const byKey = new Map(plantings.map((p) => [p.plotKey, p]));
      return {
        gameTimeMs: nowMs,
        plots: keys.map(({ plot, plotKey }) => {
          const planting = byKey.get(plotKey);
          return {
            plotId: plot.id,
            field: plot.field,
            fertility: plot.fertility,
            trait: plot.trait,
            planting: planting
              ? { crop: planting.crop, genome: planting.genome, planterId: planting.planterId, plantedAtMs: planting.plantedAtMs, readyAtMs: planting.readyAtMs, ready: planting.readyAtMs <= nowMs }
              : null,
          };
        }),
      };
    },

    /**
     * Plants one of the player's seeds on an empty plot they may use: one read (the seed and the plot),
     * the rule, then one statement that takes the seed, plants it and records the event, or changes
     * nothing when the seed or the plot was taken meanwhile.
     */
    async plantSeed(actor: Actor, plotId: string, seedId: string) {
      await ensureFarm(actor);
      const plot = await plotFor(actor, plotId);
      const nowMs = await gameNowMs();
      const { plotKey, fieldKey } = plotKeyOf(plot.id, actor.playerId);
      const { seed, occupant } = await readSeedAndPlot(pool, actor.playerId, seedId, plotKey);
      if (!seed) throw noSuchSeed(seedId);
      const result = plant({ plot, seed, planterId: actor.playerId, nowMs, occupant });
      if (!result.ok) throw ruleBroken(result.code, result.code === "PLOT_OCCUPIED" ? "Something grows on that plot already." : "That seed cannot be planted.");
      const randomSeed = deriveSeed(serverSeed, `planting:${plotKey}:${nowMs}:${seedId}`);
      const stored: StoredPlanting = { ...result.planting, plotKey, fieldKey, randomSeed };
      const payload = { plotId, crop: stored.crop, readyAtMs: stored.readyAtMs, randomSeed, delta: { seeds: -1 } satisfies Delta };
      const outcome = await commitPlanting(pool, { seedId, planting: stored, payload });
      if (outcome === "seed_gone") throw noSuchSeed(seedId);
      if (outcome === "plot_taken") throw new AppError("CONFLICT", "The plot was just planted by someone else.");
      return { plotId, crop: stored.crop, plantedAtMs: stored.plantedAtMs, readyAtMs: stored.readyAtMs };
    },

    /**
     * Harvests a ready crop the player planted on a plot they may use: resources and sometimes seeds.
     * One read (the planting and its field's other plantings, no lock), the pure rule, then one
     * statement that removes that very planting and, only if it did, stores the produce, the seeds and
     * the event; of concurrent harvests exactly one does, the others get a CONFLICT. The read and the
     * write are group-committed with the other harvests of the moment (see above).
     */
    async harvestPlot(actor: Actor, plotId: string) {
      const plot = await plotFor(actor, plotId);
      const nowMs = await gameNowMs();
      const { plotKey, fieldKey } = plotKeyOf(plot.id, actor.playerId);
      const { planting, neighbours } = await harvestReads.submit({ plotKey, fieldKey });
      if (!planting) throw ruleBroken("PLOT_EMPTY", "Nothing grows on that plot.");
      if (planting.planterId !== actor.playerId) throw new AppError("FORBIDDEN", "Someone else planted that crop.");
      const result = harvest({ planting, neighbours, seed: planting.randomSeed, fertility: plot.fertility, trait: plot.trait, nowMs });
      if (!result.ok) {
        if (result.code === "NOT_READY") throw ruleBroken("NOT_READY", "The crop is not ready yet.", { readyAtMs: result.readyAtMs });
        throw ruleBroken(result.code, "The crop cannot be harvested.");
      }
      const resources = stacksOf(result);
      const payload = { plotId, randomSeed: result.randomSeed, failed: result.failed, seeds: result.seeds, delta: { resources, seeds: result.seeds.length } satisfies Delta };
      if (!(await harvestWrites.submit({ planting, resources, seeds: result.seeds, payload }))) throw new AppError("CONFLICT", "That crop was just harvested.");
      return { plotId, resources, seeds: result.seeds, failed: result.failed, randomSeed: result.randomSeed };
    },

    /**
     * Clears a plot the player may use. Their own crop is dug up (the seed is lost). A crop someone else
     * planted, whose use of the land has ended, is settled by the lease rule for its planter: a ripe crop
     * is harvested into the planter's inventory, an unripe one withers and its seed goes back to them.
     */
    async clearPlot(actor: Actor, plotId: string) {
      const plot = await plotFor(actor, plotId);
      const nowMs = await gameNowMs();
      const { plotKey, fieldKey } = plotKeyOf(plot.id, actor.playerId);
      return withTransaction(pool, async (client) => {
        const planting = await lockPlanting(client, plotKey);
        if (!planting) throw ruleBroken("PLOT_EMPTY", "Nothing grows on that plot.");
        const planter: Actor = { playerId: planting.planterId, address: "" };
        await removePlanting(client, plotKey);
        if (planting.planterId === actor.playerId) {
          await event(client, actor, "farm.cleared", { plotId, crop: planting.crop }, {});
          return { plotId, outcome: "cleared" as const };
        }
        const settled = settleExpiredLease(planting, nowMs);
        if (settled.outcome === "harvest_due") {
          const neighbours = (await plantingsOnFields(client, [fieldKey])).filter((p) => p.plotKey !== plotKey);
          const result = harvest({ planting, neighbours, seed: planting.randomSeed, fertility: plot.fertility, trait: plot.trait, nowMs: settled.harvestAtMs });
          if (result.ok) await storeHarvest(client, planter, plotId, result, { byLeaseEnd: true });
          return { plotId, outcome: "harvested_for_planter" as const };
        }
        if (settled.outcome === "withered") {
          await addSeeds(client, planter.playerId, [settled.seedReturned]);
          await event(client, planter, "farm.withered", { plotId, crop: planting.crop }, { seeds: 1 });
        }
        return { plotId, outcome: "withered" as const };
      });
    },

    /** Resources, seeds and coins. */
    async inventory(actor: Actor) {
      await ensureFarm(actor);
      const [resources, seeds, coins] = await Promise.all([listResources(pool, actor.playerId), listSeeds(pool, actor.playerId), coinsOf(pool, actor.playerId)]);
      return { coins, resources, seeds };
    },

    /** Sells resources to the vendor at a price that falls with what the player sold in the last hour. */
    async sell(actor: Actor, kind: string, quality: number, quantity: number) {
      if (!isResourceKind(kind)) throw new AppError("VALIDATION_FAILED", "Unknown resource kind.", { details: { field: "kind" } });
      await ensureFarm(actor);
      return withTransaction(pool, async (client) => {
        // The player's farm row serialises their sales, so two at once price each other in.
        await client.query(`SELECT 1 FROM game.farms WHERE player_id = $1 FOR UPDATE`, [actor.playerId]);
        const { rows } = await client.query<{ sold: string }>(
          `SELECT coalesce(sum(quantity), 0) AS sold FROM game.vendor_sales WHERE player_id = $1 AND kind = $2 AND sold_at > now() - interval '1 hour'`,
          [actor.playerId, kind],
        );
        const coins = sellQuote(kind as ResourceKind, quantity, Number(rows[0]!.sold), quality);
        const sold: ItemStack = { kind: kind as ResourceKind, quality, quantity };
        if (!(await takeResources(client, actor.playerId, [sold]))) throw ruleBroken("NOT_ENOUGH_RESOURCES", "You do not have that many.");
        await client.query(`INSERT INTO game.vendor_sales (player_id, kind, quantity) VALUES ($1, $2, $3)`, [actor.playerId, kind, quantity]);
        await addCoins(client, actor.playerId, coins);
        await event(client, actor, "market.sold", { kind, quality, quantity, coins }, { coins, resources: [{ ...sold, quantity: -quantity }] });
        return { coins, balance: await coinsOf(client, actor.playerId) };
      });
    },

    /** Buys basic seeds from the vendor. */
    async buySeeds(actor: Actor, crop: string, quantity: number) {
      if (!isCropKind(crop)) throw new AppError("VALIDATION_FAILED", "Unknown crop.", { details: { field: "crop" } });
      await ensureFarm(actor);
      return withTransaction(pool, async (client) => {
        const price = buyPrice(crop) * quantity;
        if (!(await addCoins(client, actor.playerId, -price))) throw ruleBroken("NOT_ENOUGH_COINS", "You do not have enough coins.", { price });
        const randomSeed = deriveSeed(serverSeed, `vendor:${actor.playerId}:${await gameNowMs()}:${crop}:${await coinsOf(client, actor.playerId)}`);
        const rng = createRng(randomSeed);
        const seeds = Array.from({ length: quantity }, () => ({ crop, genome: rollVendorGenome(rng) }));
        const ids = await addSeeds(client, actor.playerId, seeds);
        await event(client, actor, "market.bought_seeds", { crop, quantity, price, randomSeed }, { coins: -price, seeds: quantity });
        return { price, seedIds: ids, balance: await coinsOf(client, actor.playerId) };
      });
    },

    usablePlots,
  };
}

export type FarmService = ReturnType<typeof createFarmService>;

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { findFreePort } from "@harvest/db/testing/free-port";
import { createOwnershipReader } from "@harvest/db/ownership/ownership-reader";
import { devAccount } from "../../scripts/stack/demo-accounts.ts";
import { startIndexer } from "../../scripts/stack/indexer.ts";
import { waitFor, type ManagedProcess } from "../../scripts/stack/processes.ts";
import { reorgLocalChain } from "../../scripts/stack/reorg.ts";
import { startTestChain, type TestChain } from "../../scripts/stack/test-chain.ts";

const players = [1, 2, 3, 4].map((i) => devAccount(i).address);
const views = ["token", "transfer", "user_change"] as const;

/** Every row of the published views in `schema`, in a stable order, as JSON for comparison. */
async function snapshotViews(pool: pg.Pool, schema: string): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const view of views) {
    const { rows } = await pool.query(`SELECT * FROM "${schema}"."${view}"`);
    result[view] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}

describe("the indexer through chain reorganisations", () => {
  let db: TestDatabase;
  let chain: TestChain;
  let indexer: ManagedProcess;
  let nextCard = 100n;

  before(async () => {
    [db, chain] = await Promise.all([createTestDatabase("reorg"), startTestChain()]);
    indexer = (await startIndexer({ databaseUrl: db.url, rpcUrl: chain.url, deploymentFile: chain.deploymentFile, port: await findFreePort() })).process;
    // Some history that every branch shares.
    for (const player of players) await chain.mintCard(player, nextCard++);
    await chain.mintLand(players[0]!);
  });

  after(async () => {
    await indexer?.stop();
    await chain?.process.stop();
    await db?.drop();
  });

  /** Waits until the indexer publishing `schema` has indexed the chain's head. */
  async function indexedHead(schema: string) {
    const ownership = createOwnershipReader({ pool: db.pool, viewsSchema: schema });
    const head = await chain.publicClient.getBlockNumber();
    await waitFor(`${schema} to index block ${head}`, async () => (await ownership.indexedHead()).blockNumber >= head, 30_000, 100);
    return head;
  }

  for (const depth of [1, 2, 3, 5]) {
    it(`ends a reorg of depth ${depth} with the views equal to a fresh re-index of the final chain`, async () => {
      const base = nextCard;
      nextCard += 100n;
      await reorgLocalChain(chain.testClient, {
        depth,
        // The orphaned branch mints, moves and rents tokens that must vanish again.
        orphan: async (i) => {
          const kind = i % 3;
          if (kind === 0) return chain.mintCard(players[1]!, base + BigInt(i));
          // Moves the card the block before minted to account 2.
          if (kind === 1) return chain.transferCard(2, players[2]!, base + BigInt(i - 1));
          // Account 2 rents out the card it has held since before the fork.
          return chain.rentCard(2, 101n, players[3]!, (await chain.publicClient.getBlock()).timestamp + 3_600n);
        },
        beforeRevert: async () => {
          await indexedHead("chain");
          const { rows } = await db.pool.query(`SELECT 1 FROM chain.token WHERE collection = 'card' AND token_id = $1`, [base.toString()]);
          assert.equal(rows.length, 1, "the indexer saw the branch that is about to be orphaned");
        },
        // The winning branch does different things at the same heights.
        replace: (i) => chain.mintCard(players[i % players.length]!, base + 50n + BigInt(i)),
      });
      await indexedHead("chain");

      const fresh = { schema: `fresh_${depth}`, views: `fresh_views_${depth}` };
      const reindex = await startIndexer({
        databaseUrl: db.url,
        rpcUrl: chain.url,
        deploymentFile: chain.deploymentFile,
        port: await findFreePort(),
        schema: fresh.schema,
        viewsSchema: fresh.views,
      });
      try {
        await indexedHead(fresh.views);
        const [followed, reindexed] = await Promise.all([snapshotViews(db.pool, "chain"), snapshotViews(db.pool, fresh.views)]);
        assert.deepEqual(followed, reindexed);
        // And the orphaned branch's first mint is really gone.
        assert.equal(followed.token!.some((row) => row.includes(`"token_id":"${base}"`)), false);
      } finally {
        await reindex.process.stop();
      }
    });
  }
});

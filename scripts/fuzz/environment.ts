/**
 * What the API fuzzer runs against: the real app (createTestApp) on a fresh test database, a bare
 * Hardhat node (so /health and on-chain signature checks have a chain to ask), and the indexer's
 * published views with a few tokens in them (so the ownership route answers from real SQL). With
 * every dependency up, any 5xx is a bug.
 */
import type pg from "pg";
import { createTestDatabase } from "../../db/src/testing/test-database.ts";
import { findFreePort } from "../../db/src/testing/free-port.ts";
import { createTestApp } from "../../api/src/testing/test-app.ts";
import { startHardhatNode } from "../stack/chain.ts";

/** The address the OpenAPI document gives as its example; the fixture gives it tokens to page through. */
export const EXAMPLE_OWNER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const RENTER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
const CHAIN_ID = 31337;

export async function startFuzzEnvironment(prefix = "api_fuzz") {
  const [db, chain] = await Promise.all([createTestDatabase(prefix), findFreePort().then((port) => startHardhatNode(port))]);
  try {
    await seedIndexerViews(db.pool);
    const testApp = await createTestApp({ pool: db.pool, rpcUrl: chain.url, chainId: CHAIN_ID });
    return {
      app: testApp.app,
      pool: db.pool,
      async stop() {
        await testApp.stop();
        await chain.process.stop();
        await db.drop();
      },
    };
  } catch (error) {
    await chain.process.stop();
    await db.drop();
    throw error;
  }
}

/**
 * The tables Ponder publishes in the `chain` views schema, as the ownership reader reads them (same
 * names and column types as indexer/ponder.schema.ts), with a checkpoint at block 1 and 130 tokens:
 * cards and lands owned by {@link EXAMPLE_OWNER}, some of them rented out or rented in.
 */
export async function seedIndexerViews(pool: pg.Pool): Promise<void> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const checkpoint = (block: number) => `${String(nowSeconds).padStart(10, "0")}${String(CHAIN_ID).padStart(16, "0")}${String(block).padStart(16, "0")}${"0".repeat(33)}`;
  await pool.query(`
    CREATE SCHEMA IF NOT EXISTS chain;
    CREATE TABLE chain._ponder_checkpoint (chain_name text NOT NULL, chain_id bigint NOT NULL, latest_checkpoint varchar(75) NOT NULL, finalized_checkpoint varchar(75) NOT NULL, safe_checkpoint varchar(75) NOT NULL);
    CREATE TABLE chain.token (
      collection text NOT NULL, token_id numeric(78) NOT NULL, contract text NOT NULL, owner text NOT NULL, "user" text, user_expires numeric(78),
      minted_block numeric(78) NOT NULL, updated_block numeric(78) NOT NULL, crafter text, recipe_id numeric(78), edition integer, attributes_hash text,
      plots integer, fertility integer, trait integer, PRIMARY KEY (collection, token_id));
    CREATE TABLE chain.transfer (id text PRIMARY KEY, collection text NOT NULL, token_id numeric(78) NOT NULL, "from" text NOT NULL, "to" text NOT NULL,
      block_number numeric(78) NOT NULL, timestamp numeric(78) NOT NULL, transaction_hash text NOT NULL);
  `);
  await pool.query(`INSERT INTO chain._ponder_checkpoint VALUES ('hardhat', $1, $2, $3, $3)`, [CHAIN_ID, checkpoint(2), checkpoint(1)]);
  await pool.query(
    `INSERT INTO chain.token (collection, token_id, contract, owner, "user", user_expires, minted_block, updated_block, crafter, recipe_id, edition, attributes_hash, plots, fertility, trait)
     SELECT CASE WHEN i % 3 = 0 THEN 'land' ELSE 'card' END, i, CASE WHEN i % 3 = 0 THEN '0x5fbdb2315678afecb367f032d93f642f64180aa3' ELSE '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512' END,
            CASE WHEN i % 10 = 7 THEN $2 ELSE $1 END,
            CASE WHEN i % 10 = 7 THEN $1 WHEN i % 10 = 5 THEN $2 END,
            CASE WHEN i % 10 IN (5, 7) THEN $3::numeric END,
            1, 1 + i % 2, CASE WHEN i % 3 = 0 THEN NULL ELSE $2 END, CASE WHEN i % 3 = 0 THEN NULL ELSE i % 7 END, CASE WHEN i % 3 = 0 THEN NULL ELSE i END,
            CASE WHEN i % 3 = 0 THEN NULL ELSE '0x' || repeat('ab', 32) END, CASE WHEN i % 3 = 0 THEN 4 END, CASE WHEN i % 3 = 0 THEN 100 END, CASE WHEN i % 3 = 0 THEN i % 4 END
     FROM generate_series(1, 130) AS i`,
    [EXAMPLE_OWNER, RENTER, nowSeconds + 86_400],
  );
  await pool.query(
    `INSERT INTO chain.transfer SELECT 'mint-' || i, 'card', i, '0x0000000000000000000000000000000000000000', $1, 1, $2, '0x' || repeat('cd', 32) FROM generate_series(1, 130) AS i`,
    [EXAMPLE_OWNER, nowSeconds],
  );
}

/**
 * Checks the farming ledger: every player's coins, seeds, cards and resources against the sum of the
 * changes their outbox events record, and cards marked minted against the indexed chain. Prints one
 * JSON line; exits 1 when anything drifts.
 *
 * Usage: `npm run farm:reconcile` (DATABASE_URL; default: the database `npm start` runs).
 */
import { createPool } from "../../db/src/pool.ts";
import { reconcileHoldings } from "../../db/src/farm/reconcile.ts";

const pool = createPool(process.env.DATABASE_URL || "postgres://postgres:postgres@127.0.0.1:5433/harvest");
try {
  const drifts = await reconcileHoldings(pool, { viewsSchema: process.env.CHAIN_VIEWS_SCHEMA || "chain" });
  console.log(JSON.stringify({ ok: drifts.length === 0, drifts }));
  process.exitCode = drifts.length === 0 ? 0 : 1;
} finally {
  await pool.end();
}

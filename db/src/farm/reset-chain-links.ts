import type pg from "pg";
import { appendEvents } from "../outbox.ts";
import { withTransaction } from "../pool.ts";

/**
 * Unlinks the game from a chain that is gone (a fresh local chain at `npm start`, docs/adr/004): cards
 * that were minted or had a voucher go back off-chain (their tokens no longer exist; a new voucher can
 * mint them again), and crops on land plots are removed (those lands no longer exist). Off-chain
 * holdings are untouched. One transaction, with a `chain.reset` event naming what changed.
 */
export async function resetChainLinks(pool: pg.Pool): Promise<{ cards: number; plantings: number }> {
  return withTransaction(pool, async (client) => {
    const cards = await client.query(
      `UPDATE game.cards SET status = 'offchain', voucher = NULL, voucher_deadline = NULL, minted_at = NULL WHERE status <> 'offchain' RETURNING id`,
    );
    const plantings = await client.query(`DELETE FROM game.plantings WHERE plot_key LIKE 'land:%' RETURNING plot_key`);
    if (cards.rowCount || plantings.rowCount) {
      await appendEvents(client, [
        {
          aggregateType: "chain",
          aggregateId: "local",
          type: "chain.reset",
          payload: { cards: cards.rows.map((row: { id: string }) => row.id), plots: plantings.rows.map((row: { plot_key: string }) => row.plot_key) },
        },
      ]);
    }
    return { cards: cards.rowCount ?? 0, plantings: plantings.rowCount ?? 0 };
  });
}

import type { Pool } from "pg";

/**
 * Forgets everything indexed from a previous chain: Ponder's schema and its views. Called when a
 * fresh local chain starts (`npm start` without RPC_URL), whose blocks and tokens share numbers,
 * but not hashes, with the old chain's. The indexer then indexes the new chain from its start.
 * Off-chain game state that points at tokens is reset by the game schema's own rules as it grows.
 */
export async function resetIndexedChain(pool: Pool, schemas: { indexer: string; views: string }): Promise<void> {
  for (const schema of [schemas.views, schemas.indexer]) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

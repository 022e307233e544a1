import type { Pool } from "pg";
import { jsonRpc } from "@harvest/core/chain/json-rpc";
import type { OwnershipReader } from "../ownership/ownership-reader.ts";

/** The state of one dependency. */
export type DependencyHealth = { ok: true; [fact: string]: unknown } | { ok: false; error: string };

/** What `GET /health` reports: the database, the chain and the indexer (head block and lag). */
export type HealthReport = {
  ok: boolean;
  database: DependencyHealth;
  chain: DependencyHealth;
  indexer: DependencyHealth;
};

export type HealthCheckOptions = {
  pool: Pool;
  rpcUrl: string;
  ownership: OwnershipReader;
  timeoutMs?: number;
};

/** Builds the health check the API and the game server serve; each probe is bounded by `timeoutMs`. */
export function createHealthCheck({ pool, rpcUrl, ownership, timeoutMs = 2_000 }: HealthCheckOptions) {
  return async function checkHealth(): Promise<HealthReport> {
    const [database, chainHead, indexerHead] = await Promise.all([
      probe(async () => {
        await pool.query("SELECT 1");
        return {};
      }, timeoutMs),
      probe(async () => ({ headBlock: await chainHeadBlock(rpcUrl, timeoutMs) }), timeoutMs),
      probe(async () => {
        const head = await ownership.indexedHead();
        return { headBlock: head.blockNumber.toString(), finalizedBlock: head.finalizedBlockNumber.toString() };
      }, timeoutMs),
    ]);
    let indexer = indexerHead;
    if (indexerHead.ok && chainHead.ok) {
      const lag = Number(chainHead.headBlock as bigint) - Number(indexerHead.headBlock);
      indexer = { ...indexerHead, lagBlocks: Math.max(0, lag) };
    }
    const chain = chainHead.ok ? { ok: true as const, headBlock: String(chainHead.headBlock) } : chainHead;
    return { ok: database.ok && chain.ok && indexer.ok, database, chain, indexer };
  };
}

async function probe(run: () => Promise<Record<string, unknown>>, timeoutMs: number): Promise<DependencyHealth> {
  try {
    const facts = await Promise.race([
      run(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { ok: true, ...facts };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

async function chainHeadBlock(rpcUrl: string, timeoutMs: number): Promise<bigint> {
  return BigInt(await jsonRpc<string>(rpcUrl, "eth_blockNumber", [], timeoutMs));
}

import type { TestClient } from "viem";

export type ReorgParameters = {
  /** How many blocks the reorganisation replaces. */
  depth: number;
  /** Mines block `i` (0-based) of the branch that will be orphaned: one transaction, one block. */
  orphan: (i: number) => Promise<unknown>;
  /** Mines block `i` of the branch that wins. It is called `depth + 1` times, so the new branch is longer. */
  replace: (i: number) => Promise<unknown>;
  /** Runs once the orphaned branch is mined, before it is dropped (e.g. wait for the indexer to see it). */
  beforeRevert?: () => Promise<unknown>;
};

/**
 * Reorganises a local Hardhat chain (automining, one transaction a block): mines `depth` blocks, then
 * drops them by reverting to a snapshot taken before them, and mines `depth + 1` different blocks at
 * the same heights. Readers that followed the first branch see the heads' hashes change, as in a
 * real reorg. Returns the block number the chain forked from.
 */
export async function reorgLocalChain(testClient: TestClient, { depth, orphan, replace, beforeRevert }: ReorgParameters): Promise<bigint> {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`depth must be a positive whole number, got ${depth}`);
  const snapshot = await testClient.snapshot();
  const forkBlock = await testClient.request({ method: "eth_blockNumber" as never }).then((hex) => BigInt(hex as string));
  for (let i = 0; i < depth; i++) await orphan(i);
  await beforeRevert?.();
  await testClient.revert({ id: snapshot });
  for (let i = 0; i <= depth; i++) await replace(i);
  return forkBlock;
}

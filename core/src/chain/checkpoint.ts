/**
 * Reads the block timestamp and number out of a Ponder checkpoint string, the format of the
 * `_ponder_checkpoint` view that Ponder publishes in its views schema: 10 digits of timestamp,
 * 16 of chain id, 16 of block number, then transaction and event positions.
 */
export function blockOfCheckpoint(checkpoint: string): { timestamp: bigint; blockNumber: bigint } {
  if (!/^\d{75}$/.test(checkpoint)) throw new Error(`not a Ponder checkpoint: ${checkpoint}`);
  return { timestamp: BigInt(checkpoint.slice(0, 10)), blockNumber: BigInt(checkpoint.slice(26, 42)) };
}

/**
 * `work` over every item with at most `concurrency` calls running at once; the results in the items'
 * order. For work that holds a scarce resource each (a pooled connection, a socket being opened), so
 * that hundreds of items neither run one by one nor all at once. A call that throws rejects the whole.
 *
 * @example
 * const decks = await mapWithConcurrency(playerIds, 4, (playerId) => checkDeck(playerId));
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!(concurrency >= 1)) throw new RangeError("concurrency must be at least 1");
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

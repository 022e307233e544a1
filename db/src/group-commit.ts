/**
 * Group commit: callers hand in one item each and wait for its own answer, while the items that
 * arrive during a round trip are written together in the next one statement. At low load a batch
 * holds one item and costs what a lone statement would; under load, one statement, one commit and
 * one network write carry many items, which is where Postgres and the kernel spend most of their time
 * per small write. Nothing is answered before the statement that holds it has committed.
 *
 * `write` gets the items in arrival order and must answer one result per item, in the same order. If
 * it throws an error one item could cause (bad data, a constraint, a deadlock: see `isItemError`), a
 * batch of several items is retried one item at a time, so that one bad item fails alone and the
 * others still get their own answers; any other error (the database gone, a timeout) fails the whole
 * batch at once rather than once per item.
 */
export type GroupCommitOptions = {
  /** Items per statement at most (keep its parameters and any NOTIFY payload within bounds). Default 64. */
  maxBatch?: number;
  /** Statements in flight at once (each holds a pooled connection while it runs). Default 2. */
  maxInFlight?: number;
  /** Whether a failed batch is worth retrying item by item. Default: isItemError. */
  retryOneByOne?: (error: unknown) => boolean;
};

/**
 * Postgres errors one item of a batch can cause: data exceptions (SQLSTATE class 22), integrity
 * constraint violations (23) and transaction rollbacks such as a deadlock or a serialization failure (40).
 */
export function isItemError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(22|23|40)/.test(code);
}

export type GroupCommit<T, R> = {
  /** Writes `item` with whatever else is waiting; resolves with its result once committed. */
  submit(item: T): Promise<R>;
  /** Items waiting or being written. */
  pending(): number;
};

type Waiting<T, R> = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };

export function createGroupCommit<T, R>(
  write: (items: readonly T[]) => Promise<readonly R[]>,
  { maxBatch = 64, maxInFlight = 2, retryOneByOne = isItemError }: GroupCommitOptions = {},
): GroupCommit<T, R> {
  if (!(maxBatch >= 1 && maxInFlight >= 1)) throw new RangeError("maxBatch and maxInFlight must be at least 1");
  let queue: Waiting<T, R>[] = [];
  let inFlight = 0;
  let writing = 0;

  async function writeChecked(items: readonly T[]): Promise<readonly R[]> {
    const results = await write(items);
    if (results.length !== items.length) throw new Error(`group commit: ${results.length} results for ${items.length} items`);
    return results;
  }

  async function flush(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await writeChecked(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => waiting.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1 || !retryOneByOne(error)) return batch.forEach((waiting) => waiting.reject(error));
      // One statement is all or nothing: find the culprit by writing each item alone.
      for (const waiting of batch) {
        try {
          waiting.resolve((await writeChecked([waiting.item]))[0]!);
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  }

  function pump() {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      inFlight++;
      writing += batch.length;
      void flush(batch).finally(() => {
        inFlight--;
        writing -= batch.length;
        pump();
      });
    }
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    pending: () => queue.length + writing,
  };
}

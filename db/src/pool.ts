import pg from "pg";

/** Options for {@link createPool}. */
export type PoolOptions = {
  /** Most connections open at once. Default 10 (pg's default). */
  max?: number;
  /** Shown in pg_stat_activity, so a busy connection can be traced to its service. */
  applicationName?: string;
  /**
   * Told when an idle pooled connection fails (e.g. the server restarted). pg has
   * already dropped that connection and opens a new one on the next checkout;
   * without a listener pg would crash the process instead. Default: ignored.
   */
  onIdleClientError?: (error: Error) => void;
};

/** A pg connection pool for `url`. Call `pool.end()` when done. */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
  });
  pool.on("error", (error) => options.onIdleClientError?.(error));
  return pool;
}

/**
 * Runs `work` inside BEGIN/COMMIT on one pooled connection. If anything throws
 * (BEGIN, `work`, or COMMIT) the transaction is rolled back and the original
 * error is rethrown unchanged, so callers keep its type (a rule's AppError stays
 * one). The connection always goes back to the pool; it is discarded instead if
 * the rollback itself failed.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

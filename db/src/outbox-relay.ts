import type pg from "pg";
import { silentLogger, type Logger } from "./logger.ts";
import { OUTBOX_EVENT_COLUMNS, outboxEventFromRow, type OutboxEvent, type OutboxRow } from "./outbox.ts";

/** Hands a batch to the transport (Kafka, the in-process bus, ...). Must throw if any event was not accepted. */
export type PublishBatch = (batch: readonly OutboxEvent[]) => Promise<void>;

/** What went wrong, for {@link OutboxRelayOptions.onError}. */
export type OutboxRelayErrorReport =
  /** publish threw; the events stay pending and are retried after a back-off. */
  | { kind: "publish-failed"; error: unknown; events: readonly OutboxEvent[] }
  /** These events failed `maxAttempts` times and were marked dead (dead_at set); they are not retried. */
  | { kind: "dead"; error: unknown; events: readonly OutboxEvent[] }
  /** The relay itself failed (database unreachable, LISTEN connection lost); it keeps retrying. */
  | { kind: "relay-failed"; error: unknown; events: readonly OutboxEvent[] };

/** Options for {@link createOutboxRelay}. */
export type OutboxRelayOptions = {
  pool: pg.Pool;
  publish: PublishBatch;
  /** Most events claimed and published at once. Default 100. */
  batchSize?: number;
  /** How often to look for events when no notification arrives. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Failed attempts after which an event is marked dead. Default 10. */
  maxAttempts?: number;
  /** First back-off after a failure; doubles per consecutive failure. Default 500 ms. */
  retryDelayMs?: number;
  /** Back-off ceiling. Default 30 000 ms. */
  maxRetryDelayMs?: number;
  onError?: (report: OutboxRelayErrorReport) => void;
  logger?: Logger;
};

/** Counts from one {@link OutboxRelay.drainOnce}. */
export type DrainResult = { published: number; failed: number; dead: number };

/** Moves committed events from game.outbox to a publisher. */
export type OutboxRelay = {
  /** Starts listening on `game_outbox` and draining in the background. Resolves once listening (or polling, if LISTEN failed). */
  start(): Promise<void>;
  /** Stops the background loop; waits for the batch in flight, leaves the rest for next time. */
  stop(): Promise<void>;
  /** Publishes pending events until none are left or a publish fails. Usable without start(). */
  drainOnce(): Promise<DrainResult>;
};

const CHANNEL = "game_outbox";

type BatchOutcome =
  | { kind: "empty" }
  | { kind: "published"; events: OutboxEvent[] }
  | { kind: "failed"; events: OutboxEvent[]; error: unknown };

/**
 * Creates the outbox relay. Delivery is at least once: an event is marked
 * published only after `publish` resolved, in the same transaction that claimed
 * it, so a crash between the two republishes it. Consumers deduplicate on
 * `eventId`.
 *
 * Rows are claimed with `FOR UPDATE SKIP LOCKED` by "unpublished", never by "id
 * above the last seen": ids are taken at insert but become visible at commit, so
 * a low id can appear after a higher one and a cursor would skip it. The same
 * claim lets several relays run at once without publishing a row twice.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pool, publish } = options;
  const batchSize = positive(options.batchSize ?? 100, "batchSize");
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxAttempts = positive(options.maxAttempts ?? 10, "maxAttempts");
  const retryDelayMs = options.retryDelayMs ?? 500;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const logger = options.logger ?? silentLogger;

  // After a batch fails we cannot tell which event broke it. Until every row of
  // that batch is settled we publish one at a time, so healthy events get
  // through (and only the bad one keeps failing toward dead) instead of the
  // whole batch being retried, and counted, together.
  let isolateThroughId: bigint | undefined;
  let running = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let consecutiveFailures = 0;
  let wakeRequested = false;
  let sleeper: { wakeable: boolean; done: () => void } | undefined;
  let listener: { client: pg.PoolClient; detach: () => void } | undefined;
  let relistenTimer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<DrainResult>>();

  function report(entry: OutboxRelayErrorReport): void {
    try {
      options.onError?.(entry);
    } catch (error) {
      logger.error(`outbox relay: onError threw: ${describe(error)}`);
    }
  }

  async function claimAndPublish(limit: number): Promise<BatchOutcome> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<OutboxRow>(
        `SELECT ${OUTBOX_EVENT_COLUMNS} FROM game.outbox
          WHERE published_at IS NULL AND dead_at IS NULL
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      const events = rows.map(outboxEventFromRow);
      if (events.length === 0) {
        await client.query("COMMIT");
        return { kind: "empty" };
      }
      try {
        await publish(events);
      } catch (error) {
        await client.query("ROLLBACK");
        return { kind: "failed", events, error };
      }
      await client.query("UPDATE game.outbox SET published_at = now() WHERE id = ANY($1::bigint[])", [events.map((event) => event.id)]);
      await client.query("COMMIT");
      return { kind: "published", events };
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  // Runs after the claim was rolled back and its connection released, so it
  // works even with a pool of one.
  async function recordFailure(events: OutboxEvent[], error: unknown): Promise<number> {
    const { rows } = await pool.query<{ id: string; attempts: number; dead: boolean }>(
      `UPDATE game.outbox
          SET attempts = attempts + 1,
              last_error = $2,
              dead_at = CASE WHEN attempts + 1 >= $3 THEN now() END
        WHERE id = ANY($1::bigint[]) AND published_at IS NULL AND dead_at IS NULL
        RETURNING id, attempts, dead_at IS NOT NULL AS dead`,
      [events.map((event) => event.id), describe(error).slice(0, 4000), maxAttempts],
    );
    const updated = new Map(rows.map((row) => [row.id, row]));
    const withAttempts = events.flatMap((event) => {
      const row = updated.get(event.id);
      return row === undefined ? [] : [{ event: { ...event, attempts: row.attempts }, dead: row.dead }];
    });
    const dead = withAttempts.filter((entry) => entry.dead).map((entry) => entry.event);
    logger.warn(`outbox relay: publishing ${events.length} event(s) failed: ${describe(error)}`);
    report({ kind: "publish-failed", error, events: withAttempts.map((entry) => entry.event) });
    if (dead.length > 0) {
      logger.error(`outbox relay: ${dead.length} event(s) marked dead after ${maxAttempts} attempts`);
      report({ kind: "dead", error, events: dead });
    }
    return dead.length;
  }

  async function drain(): Promise<DrainResult> {
    const result: DrainResult = { published: 0, failed: 0, dead: 0 };
    wakeRequested = false;
    while (!stopping) {
      const limit = isolateThroughId === undefined ? batchSize : 1;
      const outcome = await claimAndPublish(limit);
      if (outcome.kind === "empty") {
        isolateThroughId = undefined;
        break;
      }
      const lastId = BigInt(outcome.events.at(-1)?.id ?? "0");
      if (outcome.kind === "failed") {
        if (outcome.events.length > 1) isolateThroughId = lastId;
        result.failed += outcome.events.length;
        result.dead += await recordFailure(outcome.events, outcome.error);
        break;
      }
      result.published += outcome.events.length;
      logger.debug(`outbox relay: published ${outcome.events.length} event(s)`);
      if (isolateThroughId !== undefined && lastId >= isolateThroughId) isolateThroughId = undefined;
      if (outcome.events.length < limit && isolateThroughId === undefined) break;
    }
    return result;
  }

  function drainOnce(): Promise<DrainResult> {
    const pass = drain();
    inFlight.add(pass);
    const forget = (): void => void inFlight.delete(pass);
    pass.then(forget, forget);
    return pass;
  }

  function backoffMs(): number {
    const ceiling = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** Math.min(consecutiveFailures - 1, 30));
    // Jitter keeps several relays from retrying a struggling broker in lockstep.
    return Math.round(ceiling * (0.5 + Math.random() / 2));
  }

  // A notification cuts a poll wait short, but never a back-off: otherwise every
  // insert would retry a failing publisher at once.
  function idle(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && wakeRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        sleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleeper = { wakeable, done };
    });
  }

  function onNotification(): void {
    if (sleeper?.wakeable) sleeper.done();
    else wakeRequested = true;
  }

  async function runLoop(): Promise<void> {
    while (running) {
      try {
        const result = await drainOnce();
        consecutiveFailures = result.failed > 0 ? consecutiveFailures + 1 : 0;
      } catch (error) {
        consecutiveFailures += 1;
        report({ kind: "relay-failed", error, events: [] });
      }
      if (!running) break;
      await idle(consecutiveFailures > 0 ? backoffMs() : pollIntervalMs, consecutiveFailures === 0);
    }
  }

  async function listen(): Promise<void> {
    let connection: pg.PoolClient;
    try {
      connection = await pool.connect();
    } catch (error) {
      report({ kind: "relay-failed", error, events: [] });
      relistenLater();
      return;
    }
    let released = false;
    const onMessage = (message: pg.Notification): void => {
      if (message.channel === CHANNEL) onNotification();
    };
    const detach = (): void => {
      connection.off("notification", onMessage);
      connection.off("error", drop);
    };
    // The connection is gone: discard it, keep polling, listen again later.
    function drop(error: unknown): void {
      if (released) return;
      released = true;
      detach();
      // A dying connection may emit more errors; with no listener they would crash the process.
      connection.on("error", () => {});
      if (listener?.client === connection) listener = undefined;
      connection.release(error instanceof Error ? error : new Error(String(error)));
      report({ kind: "relay-failed", error, events: [] });
      relistenLater();
    }
    connection.on("notification", onMessage);
    connection.on("error", drop);
    try {
      await connection.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      drop(error);
      return;
    }
    listener = { client: connection, detach };
    // stop() ran while we were connecting: it could not see this connection.
    if (!running) await closeListener();
  }

  async function closeListener(): Promise<void> {
    const current = listener;
    listener = undefined;
    if (current === undefined) return;
    current.detach();
    // Swallow a late connection error while we say goodbye; the pool takes it from here.
    const ignore = (): void => {};
    current.client.on("error", ignore);
    try {
      await current.client.query(`UNLISTEN ${CHANNEL}`);
      current.client.release();
    } catch (error) {
      current.client.release(error instanceof Error ? error : new Error(String(error)));
    } finally {
      current.client.off("error", ignore);
    }
  }

  function relistenLater(): void {
    if (!running || relistenTimer !== undefined) return;
    relistenTimer = setTimeout(() => {
      relistenTimer = undefined;
      // Anything inserted while deaf is picked up by this drain.
      void listen().then(onNotification);
    }, retryDelayMs);
  }

  async function start(): Promise<void> {
    if (running) return;
    running = true;
    stopping = false;
    await listen();
    loop = runLoop();
  }

  async function stop(): Promise<void> {
    running = false;
    stopping = true;
    clearTimeout(relistenTimer);
    relistenTimer = undefined;
    sleeper?.done();
    await loop;
    loop = undefined;
    await Promise.allSettled([...inFlight]);
    await closeListener();
    // Stopping only cuts drains short while stop() waits; later drainOnce() calls run in full.
    stopping = false;
  }

  return { start, stop, drainOnce };
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) return `${error.message}: ${error.errors.map(describe).join("; ")}`;
  return error instanceof Error ? error.message : String(error);
}

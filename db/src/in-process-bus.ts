import type pg from "pg";
import type { OutboxEvent } from "./outbox.ts";
import { withTransaction } from "./pool.ts";

/**
 * Handles one event for one consumer. It runs inside the transaction that
 * records the event in game.inbox, on `client`: write through `client` and the
 * handler's effects commit exactly when the event is marked processed.
 */
export type EventHandler = (event: OutboxEvent, client: pg.PoolClient) => Promise<void>;

/** Dependencies of {@link createInProcessBus}. */
export type InProcessBusOptions = {
  /** Database holding game.inbox; handlers get a transaction on it. */
  pool: pg.Pool;
};

/** Delivers outbox events to handlers in this process; its `publish` fits createOutboxRelay. */
export type InProcessBus = {
  /** Registers a consumer under a unique name (the inbox key; keep it stable). Returns an unsubscribe function. */
  subscribe(consumer: string, handler: EventHandler): () => void;
  /**
   * Delivers each event, in order, to every consumer. Per consumer an event is
   * handled at most once successfully: its inbox row and the handler's work
   * commit together, and a redelivery finds the row and skips. When a handler
   * throws, that consumer skips the rest of the batch (keeping its order), the
   * others carry on, and publish rejects with an AggregateError at the end so
   * the relay retries; consumers that succeeded then skip their duplicates.
   */
  publish(batch: readonly OutboxEvent[]): Promise<void>;
};

/** Creates the in-process bus: the relay's publisher when no external broker (Kafka) is configured. */
export function createInProcessBus(options: InProcessBusOptions): InProcessBus {
  const { pool } = options;
  const consumers = new Map<string, EventHandler>();

  async function deliver(consumer: string, handler: EventHandler, event: OutboxEvent): Promise<void> {
    await withTransaction(pool, async (client) => {
      // A concurrent delivery of the same event waits on this row's key until
      // the first commits (then skips) or rolls back (then handles it).
      const inserted = await client.query(
        `INSERT INTO game.inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [consumer, event.eventId],
      );
      if (inserted.rowCount === 1) await handler(event, client);
    });
  }

  async function deliverAll(consumer: string, handler: EventHandler, batch: readonly OutboxEvent[]): Promise<void> {
    for (const event of batch) {
      try {
        await deliver(consumer, handler, event);
      } catch (error) {
        throw new Error(`Consumer "${consumer}" failed on event ${event.eventId} (${event.type})`, { cause: error });
      }
    }
  }

  return {
    subscribe(consumer, handler) {
      if (consumers.has(consumer)) throw new Error(`Consumer "${consumer}" is already subscribed`);
      consumers.set(consumer, handler);
      return () => {
        if (consumers.get(consumer) === handler) consumers.delete(consumer);
      };
    },
    async publish(batch) {
      const results = await Promise.allSettled([...consumers].map(([consumer, handler]) => deliverAll(consumer, handler, batch)));
      const errors = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
      if (errors.length > 0) throw new AggregateError(errors, `${errors.length} consumer(s) failed`);
    },
  };
}

import type { ClientBase } from "pg";

/** A fact the game recorded, to be published after its transaction commits. */
export type DomainEvent<Payload = unknown> = {
  /** Kind of thing the event is about, e.g. `"farm"` or `"match"`. */
  aggregateType: string;
  /** Which one of them, e.g. the farm id. */
  aggregateId: string;
  /** What happened, e.g. `"crop.harvested"`. */
  type: string;
  /** JSON-serialisable details. */
  payload: Payload;
};

/** A domain event as stored in game.outbox and handed to publishers. */
export type OutboxEvent<Payload = unknown> = DomainEvent<Payload> & {
  /** Outbox row id (a bigint, kept as a string). Orders rows by insert, not by commit. */
  id: string;
  /** Stable identity across redeliveries; consumers deduplicate on it. */
  eventId: string;
  occurredAt: Date;
  /** Failed publish attempts so far. */
  attempts: number;
};

/**
 * Inserts `events` into game.outbox with one statement, on `client`, so they
 * commit or roll back with the caller's transaction. Returns their event ids in
 * the order given. Call it on the client of an open transaction (see
 * withTransaction); on a bare client each call would commit on its own.
 */
export async function appendEvents(client: ClientBase, events: readonly DomainEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  // Arrays + unnest keep it one statement whatever the count (no 65535-parameter
  // limit); ORDER BY ordinality makes the ids follow the input order.
  const result = await client.query<{ id: string; event_id: string }>(
    `INSERT INTO game.outbox (aggregate_type, aggregate_id, type, payload)
     SELECT e.aggregate_type, e.aggregate_id, e.type, e.payload::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
            WITH ORDINALITY AS e(aggregate_type, aggregate_id, type, payload, n)
      ORDER BY e.n
     RETURNING id, event_id`,
    [
      events.map((event) => event.aggregateType),
      events.map((event) => event.aggregateId),
      events.map((event) => event.type),
      events.map((event) => JSON.stringify(event.payload ?? null)),
    ],
  );
  return result.rows.toSorted((a, b) => compareBigintStrings(a.id, b.id)).map((row) => row.event_id);
}

function compareBigintStrings(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** game.outbox row as pg returns it for {@link OUTBOX_EVENT_COLUMNS}. */
export type OutboxRow = {
  id: string;
  event_id: string;
  aggregate_type: string;
  aggregate_id: string;
  type: string;
  payload: unknown;
  occurred_at: Date;
  attempts: number;
};

/** The column list that {@link outboxEventFromRow} reads. */
export const OUTBOX_EVENT_COLUMNS = "id, event_id, aggregate_type, aggregate_id, type, payload, occurred_at, attempts";

/** Maps a game.outbox row to the event handed to publishers. */
export function outboxEventFromRow(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    eventId: row.event_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    type: row.type,
    payload: row.payload,
    occurredAt: row.occurred_at,
    attempts: row.attempts,
  };
}

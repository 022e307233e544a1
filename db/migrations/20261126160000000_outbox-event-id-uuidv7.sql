-- Up Migration

-- Event ids in time order (UUID version 7, PostgreSQL 18) instead of random ones (version 4). The
-- outbox takes a row for every accepted battle action, and its unique index on event_id took each
-- random id at a random leaf: as the table grew past a few hundred thousand rows, every insert read
-- and dirtied a page no other insert had touched lately. Time-ordered ids land at the index's right
-- edge, as the serial id does. At 300,000 rows the statement that stores battle actions cost
-- Postgres ~36-39 µs of CPU an action with random ids and ~29 µs with these (docs/bots.md).
-- Consumers still deduplicate on event_id; existing ids stay as they are.
ALTER TABLE game.outbox ALTER COLUMN event_id SET DEFAULT uuidv7();

-- Down Migration

ALTER TABLE game.outbox ALTER COLUMN event_id SET DEFAULT gen_random_uuid();

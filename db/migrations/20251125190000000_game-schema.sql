-- Up Migration

-- Everything the game server owns lives in schema `game`; node-pg-migrate's
-- history table stays in `public` (public.pgmigrations).
CREATE SCHEMA game;

-- Transactional outbox: domain events are inserted in the same transaction as
-- the state change they describe, and a relay publishes them afterwards.
CREATE TABLE game.outbox (
  id             bigserial   PRIMARY KEY,
  event_id       uuid        NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  aggregate_type text        NOT NULL,
  aggregate_id   text        NOT NULL,
  type           text        NOT NULL,
  payload        jsonb       NOT NULL,
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  published_at   timestamptz NULL,
  attempts       int         NOT NULL DEFAULT 0,
  last_error     text        NULL,
  -- Set once publishing failed max-attempts times; the relay then skips the row.
  dead_at        timestamptz NULL
);

-- The relay's claim query scans only rows still waiting, in id order.
CREATE INDEX outbox_pending_idx ON game.outbox (id)
  WHERE published_at IS NULL AND dead_at IS NULL;

-- Idempotent consumers: a row per (consumer, event) already handled.
CREATE TABLE game.inbox (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- Small key/value store for operational facts (e.g. a cursor or a version).
CREATE TABLE game.meta (
  key   text  PRIMARY KEY,
  value jsonb NOT NULL
);

-- Down Migration

DROP SCHEMA game CASCADE;

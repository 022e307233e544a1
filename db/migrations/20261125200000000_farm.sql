-- Up Migration

-- A player's farm: the soft-currency balance; created with a starter kit on first visit.
CREATE TABLE game.farms (
  player_id   bigint      PRIMARY KEY REFERENCES game.players (id),
  coins       bigint      NOT NULL CHECK (coins >= 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Seeds in inventories, one row a seed (each has its own genes).
CREATE TABLE game.seeds (
  id           bigserial   PRIMARY KEY,
  player_id    bigint      NOT NULL REFERENCES game.players (id),
  crop         text        NOT NULL,
  genome       jsonb       NOT NULL,
  acquired_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX seeds_player ON game.seeds (player_id);

-- Crops in the ground. A plot key is global: `starter:<playerId>:<i>` or `land:<tokenId>:<i>` (a land's
-- plots pass between its owner and its renters), so one plot holds at most one planting.
CREATE TABLE game.plantings (
  plot_key       text    PRIMARY KEY,
  field_key      text    NOT NULL,
  planter_id     bigint  NOT NULL REFERENCES game.players (id),
  crop           text    NOT NULL,
  genome         jsonb   NOT NULL,
  planted_at_ms  bigint  NOT NULL,
  ready_at_ms    bigint  NOT NULL,
  -- The recorded seed every random outcome of this crop derives from.
  random_seed    text    NOT NULL
);
CREATE INDEX plantings_field ON game.plantings (field_key);
CREATE INDEX plantings_planter ON game.plantings (planter_id);

-- Resources (produce and catalysts) by kind and quality grade.
CREATE TABLE game.resources (
  player_id  bigint  NOT NULL REFERENCES game.players (id),
  kind       text    NOT NULL,
  quality    smallint NOT NULL,
  quantity   integer NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (player_id, kind, quality)
);

-- Sales to the vendor, for prices that move with supply.
CREATE TABLE game.vendor_sales (
  id         bigserial   PRIMARY KEY,
  player_id  bigint      NOT NULL,
  kind       text        NOT NULL,
  quantity   integer     NOT NULL,
  sold_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vendor_sales_kind_time ON game.vendor_sales (player_id, kind, sold_at);

-- Crafted cards. The id is the token id once minted (docs/adr/006).
CREATE TABLE game.cards (
  id               bigserial   PRIMARY KEY,
  holder_id        bigint      NOT NULL REFERENCES game.players (id),
  crafter_id       bigint      NOT NULL REFERENCES game.players (id),
  recipe_key       text        NOT NULL,
  recipe_id        integer     NOT NULL,
  card             jsonb       NOT NULL,
  attributes_hash  text        NOT NULL,
  random_seed      text        NOT NULL,
  -- offchain -> voucher_issued -> minted; an unused voucher that expires sends the card back to offchain.
  status           text        NOT NULL DEFAULT 'offchain' CHECK (status IN ('offchain', 'voucher_issued', 'minted')),
  voucher          jsonb       NULL,
  voucher_deadline timestamptz NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  minted_at        timestamptz NULL
);
CREATE INDEX cards_holder ON game.cards (holder_id);
CREATE INDEX cards_voucher_pending ON game.cards (voucher_deadline) WHERE status = 'voucher_issued';

-- Voucher nonces are never reused, across cards and retries.
CREATE SEQUENCE game.voucher_nonces START 1000;

-- Down Migration

DROP SEQUENCE game.voucher_nonces;
DROP TABLE game.cards;
DROP TABLE game.vendor_sales;
DROP TABLE game.resources;
DROP TABLE game.plantings;
DROP TABLE game.seeds;
DROP TABLE game.farms;

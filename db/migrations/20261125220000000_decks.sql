-- Up Migration

-- A player's decks: a name (unique per player, without regard to case) and the ids of 20 to 30 cards in
-- game.cards. The cards are checked when the deck is saved and again when a match starts (a card sold
-- or rented out since is refused then), so a stored deck may name cards the player no longer may use.
CREATE TABLE game.decks (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  player_id   bigint      NOT NULL REFERENCES game.players (id),
  name        text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
  card_ids    bigint[]    NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX decks_player_name_lower ON game.decks (player_id, lower(name));

-- Who has claimed the starter pack: once per player.
CREATE TABLE game.starter_packs (
  player_id   bigint      PRIMARY KEY REFERENCES game.players (id),
  claimed_at  timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE game.starter_packs;
DROP TABLE game.decks;

-- Up Migration

-- A player who is queued, waiting on a private invite, or in a match with another player. The primary
-- key is what makes "at most one queue or match at a time" hold across every game-server process.
-- Practice battles against the bot take no slot.
CREATE TABLE game.player_slots (
  player_id        bigint           PRIMARY KEY REFERENCES game.players (id),
  state            text             NOT NULL CHECK (state IN ('queued', 'matched')),
  mode             text             NOT NULL CHECK (mode IN ('ranked', 'casual', 'private')),
  deck_id          uuid             NOT NULL,
  -- What the matchmaker pairs on, as it was when the player queued.
  rating           double precision NOT NULL,
  rating_rd        double precision NOT NULL,
  deck_power       double precision NOT NULL,
  -- A private match's code, while its creator waits for the invited player.
  invite_code      text             NULL UNIQUE,
  battle_id        uuid             NULL REFERENCES game.battles (id),
  queued_at        timestamptz      NOT NULL DEFAULT now(),
  -- Set when the player's last connection closed during a match; the grace period counts from here.
  disconnected_at  timestamptz      NULL,
  CHECK ((state = 'matched') = (battle_id IS NOT NULL))
);
CREATE INDEX player_slots_queue ON game.player_slots (mode, queued_at) WHERE state = 'queued';
CREATE INDEX player_slots_disconnected ON game.player_slots (disconnected_at) WHERE disconnected_at IS NOT NULL;

-- Glicko-2 ratings of ranked play; a player without a row has the initial rating.
CREATE TABLE game.ratings (
  player_id   bigint           PRIMARY KEY REFERENCES game.players (id),
  rating      double precision NOT NULL,
  rd          double precision NOT NULL,
  vol         double precision NOT NULL,
  games       integer          NOT NULL DEFAULT 0,
  updated_at  timestamptz      NOT NULL DEFAULT now()
);

-- The seasonal leaderboard of ranked play: one row per player and season.
CREATE TABLE game.leaderboard (
  season      text             NOT NULL,
  player_id   bigint           NOT NULL REFERENCES game.players (id),
  rating      double precision NOT NULL,
  wins        integer          NOT NULL DEFAULT 0,
  losses      integer          NOT NULL DEFAULT 0,
  draws       integer          NOT NULL DEFAULT 0,
  updated_at  timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (season, player_id)
);
CREATE INDEX leaderboard_rank ON game.leaderboard (season, rating DESC, player_id);

-- Down Migration

DROP TABLE game.leaderboard;
DROP TABLE game.ratings;
DROP TABLE game.player_slots;

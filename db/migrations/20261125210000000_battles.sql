-- Up Migration

-- A battle: its creation parameters (CreateBattleParams, with the secret seed: never shown to a player
-- while the battle runs) and its players. The state is not stored; it is rebuilt from the params and
-- the accepted actions with replayBattle.
CREATE TABLE game.battles (
  id          uuid        PRIMARY KEY,
  mode        text        NOT NULL,
  params      jsonb       NOT NULL,
  -- Player ids as the engine knows them (a practice bot's id is not a game.players id).
  players     text[]      NOT NULL,
  status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  result      jsonb       NULL,
  -- hashState of the final state, written when the battle ends: a replay must reproduce it.
  final_hash  text        NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz NULL,
  CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);
CREATE INDEX battles_players ON game.battles USING gin (players);

-- Accepted actions of a battle in order: seq 0, 1, 2, ... (the engine's state.seq before the action).
-- client_seq is the socket message's seq for a player's action (null for the bot and the timer), so a
-- resent message is recognised and answered without a second effect.
CREATE TABLE game.battle_actions (
  battle_id   uuid        NOT NULL REFERENCES game.battles (id),
  seq         int         NOT NULL CHECK (seq >= 0),
  player_id   text        NULL,
  client_seq  bigint      NULL,
  action      jsonb       NOT NULL,
  now_ms      bigint      NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (battle_id, seq),
  UNIQUE (battle_id, player_id, client_seq)
);

-- Down Migration

DROP TABLE game.battle_actions;
DROP TABLE game.battles;

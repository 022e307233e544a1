-- Up Migration

-- A player is a wallet that has signed in at least once.
CREATE TABLE game.players (
  id            bigserial   PRIMARY KEY,
  -- Lower-case 0x address; one player per wallet.
  address       text        NOT NULL UNIQUE CHECK (address ~ '^0x[0-9a-f]{40}$'),
  display_name  text        NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- Display names are unique without regard to case.
CREATE UNIQUE INDEX players_display_name_lower ON game.players (lower(display_name)) WHERE display_name IS NOT NULL;

-- Sign-In with Ethereum nonces: issued by us, single use, short-lived.
CREATE TABLE game.auth_nonces (
  nonce       text        PRIMARY KEY,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_nonces_expires_at ON game.auth_nonces (expires_at);

-- One session per login. Access tokens name their session; revoking it ends them all at once.
CREATE TABLE game.sessions (
  id                  uuid        PRIMARY KEY,
  player_id           bigint      NOT NULL REFERENCES game.players (id),
  address             text        NOT NULL,
  -- SHA-256 of the current refresh token; rotated on every refresh.
  refresh_token_hash  bytea       NOT NULL UNIQUE,
  created_at          timestamptz NOT NULL DEFAULT now(),
  refreshed_at        timestamptz NOT NULL DEFAULT now(),
  -- The session ends here whatever refreshes happen (absolute lifetime).
  expires_at          timestamptz NOT NULL,
  revoked_at          timestamptz NULL
);
CREATE INDEX sessions_player ON game.sessions (player_id);
CREATE INDEX sessions_revoked ON game.sessions (revoked_at) WHERE revoked_at IS NOT NULL;

-- Fixed-window rate-limit counters that every API instance shares.
CREATE TABLE game.rate_limits (
  key           text        PRIMARY KEY,
  window_start  timestamptz NOT NULL,
  hits          integer     NOT NULL
);

-- Down Migration

DROP TABLE game.rate_limits;
DROP TABLE game.sessions;
DROP TABLE game.auth_nonces;
DROP TABLE game.players;

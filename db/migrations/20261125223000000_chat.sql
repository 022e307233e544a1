-- Up Migration

-- Chat messages of the lobby (`lobby`) and of battles (`battle:<uuid>`). Kept for a bounded time: the
-- game server deletes rows older than its retention (24 h by default, pruneChat) every few minutes.
CREATE TABLE game.chat_messages (
  id         bigserial   PRIMARY KEY,
  channel    text        NOT NULL CHECK (channel = 'lobby' OR channel ~ '^battle:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  player_id  bigint      NOT NULL REFERENCES game.players (id),
  -- Normalised by core/src/chat/chat-text.ts; char_length counts code points, as the rule does.
  text       text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 280),
  sent_at    timestamptz NOT NULL DEFAULT now()
);
-- History: a channel's last messages, newest first, before a given id.
CREATE INDEX chat_messages_channel_id ON game.chat_messages (channel, id);
-- Retention: the oldest rows first.
CREATE INDEX chat_messages_sent_at ON game.chat_messages (sent_at);

-- Down Migration

DROP TABLE game.chat_messages;

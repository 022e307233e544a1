-- Up Migration

-- What a finished match between players changed, per player (outcome, rating before and after,
-- reward): written with the battle's end, read by match history and by a game-server process that
-- learns of the end from another. The outbox event says the same for consumers, but the outbox is a
-- queue, not a record.
ALTER TABLE game.battles ADD COLUMN settlement jsonb NULL;

-- Down Migration

ALTER TABLE game.battles DROP COLUMN settlement;

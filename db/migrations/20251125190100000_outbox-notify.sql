-- Up Migration

-- Wakes the outbox relay (LISTEN game_outbox) as soon as events commit, so it
-- need not poll fast. NOTIFY is delivered at commit and never for a rolled-back
-- transaction; one per statement is enough, the relay reads the table anyway.
CREATE FUNCTION game.notify_outbox() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('game_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify
  AFTER INSERT ON game.outbox
  FOR EACH STATEMENT EXECUTE FUNCTION game.notify_outbox();

-- Down Migration

DROP TRIGGER outbox_notify ON game.outbox;
DROP FUNCTION game.notify_outbox();

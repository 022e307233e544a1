-- Up Migration

-- A card's definition never changes once it is crafted: its recipe and attributes are what a minted
-- token's attributes hash commits to. Game servers rely on it: they keep definitions in memory by card
-- id (db/src/decks/card-definitions.ts) and read only who holds a card when a deck is checked. Who
-- holds a card and its mint status may change; an update that would change its definition is refused.
CREATE FUNCTION game.refuse_card_definition_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the definition of card % never changes', OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER cards_definition_immutable
  BEFORE UPDATE OF id, recipe_key, recipe_id, card, attributes_hash ON game.cards
  FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.recipe_key IS DISTINCT FROM NEW.recipe_key OR OLD.recipe_id IS DISTINCT FROM NEW.recipe_id
        OR OLD.card IS DISTINCT FROM NEW.card OR OLD.attributes_hash IS DISTINCT FROM NEW.attributes_hash)
  EXECUTE FUNCTION game.refuse_card_definition_change();

-- Down Migration

DROP TRIGGER cards_definition_immutable ON game.cards;
DROP FUNCTION game.refuse_card_definition_change();

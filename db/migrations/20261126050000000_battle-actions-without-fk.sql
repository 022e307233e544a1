-- Up Migration

-- Every accepted battle action is a row here, the game server's hottest write. The foreign key to
-- game.battles made each row take a FOR KEY SHARE lock on its battle (a WAL record per action); the
-- statements that append actions (battle-store.ts) now join game.battles instead, which also refuses
-- an action for a battle that has ended, something the key never did. See docs/adr/012.
ALTER TABLE game.battle_actions DROP CONSTRAINT battle_actions_battle_id_fkey;

-- Down Migration

ALTER TABLE game.battle_actions ADD CONSTRAINT battle_actions_battle_id_fkey FOREIGN KEY (battle_id) REFERENCES game.battles (id);

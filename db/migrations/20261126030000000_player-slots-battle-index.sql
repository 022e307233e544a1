-- Up Migration

-- A match's end frees both players' slots by battle (settle-match.ts): without this index each
-- settlement scanned every slot, one per player queued or playing, which grows with the player base.
CREATE INDEX player_slots_battle ON game.player_slots (battle_id) WHERE battle_id IS NOT NULL;

-- Down Migration

DROP INDEX game.player_slots_battle;

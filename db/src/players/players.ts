import type pg from "pg";

type Queryable = pg.Pool | pg.PoolClient;

/** A player as the API shows it to themselves. */
export type Player = { id: string; address: string; displayName: string | null; createdAt: Date };

type PlayerRow = { id: string; address: string; display_name: string | null; created_at: Date };

const toPlayer = (row: PlayerRow): Player => ({ id: row.id, address: row.address, displayName: row.display_name, createdAt: row.created_at });

/** The player of a wallet, created on its first sign-in. */
export async function findOrCreatePlayer(db: Queryable, address: string): Promise<Player> {
  const { rows } = await db.query<PlayerRow>(
    `INSERT INTO game.players (address) VALUES ($1)
     ON CONFLICT (address) DO UPDATE SET address = EXCLUDED.address
     RETURNING id, address, display_name, created_at`,
    [address.toLowerCase()],
  );
  return toPlayer(rows[0]!);
}

/** A player by id, or null. */
export async function getPlayer(db: Queryable, id: string): Promise<Player | null> {
  const { rows } = await db.query<PlayerRow>(`SELECT id, address, display_name, created_at FROM game.players WHERE id = $1`, [id]);
  return rows[0] ? toPlayer(rows[0]) : null;
}

/** Sets a display name; `"taken"` when another player has it in any letter case. */
export async function setDisplayName(db: Queryable, id: string, displayName: string): Promise<Player | "taken" | null> {
  try {
    const { rows } = await db.query<PlayerRow>(
      `UPDATE game.players SET display_name = $2 WHERE id = $1 RETURNING id, address, display_name, created_at`,
      [id, displayName],
    );
    return rows[0] ? toPlayer(rows[0]) : null;
  } catch (error) {
    if ((error as { code?: string }).code === "23505") return "taken";
    throw error;
  }
}

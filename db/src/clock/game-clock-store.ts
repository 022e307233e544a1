import type pg from "pg";
import { advanceGameClock, gameNowMs, startGameClock, type GameClockState } from "@harvest/core/clock/game-clock";
import { withTransaction } from "../pool.ts";

const KEY = "game_clock";

/**
 * The shared game clock, kept in `game.meta` so that every API and game-server instance reads the
 * same anchor. Created on first use at `defaultTimeScale`.
 */
export function createGameClockStore(pool: pg.Pool, { defaultTimeScale = 1, wallNowMs = Date.now, cacheMs = 250 } = {}) {
  // The anchor changes only on an advance, so reads keep it for `cacheMs`: another instance's advance
  // is seen within that time, this instance's at once.
  let cached: { state: GameClockState; atMs: number } | undefined;
  async function load(client: pg.Pool | pg.PoolClient, lock: boolean): Promise<GameClockState> {
    await client.query(
      `INSERT INTO game.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
      [KEY, JSON.stringify(startGameClock(wallNowMs(), defaultTimeScale))],
    );
    const { rows } = await client.query<{ value: GameClockState }>(`SELECT value FROM game.meta WHERE key = $1${lock ? " FOR UPDATE" : ""}`, [KEY]);
    return rows[0]!.value;
  }

  return {
    /** The game time now, in milliseconds. */
    async nowMs(): Promise<number> {
      const wall = wallNowMs();
      if (!cached || wall - cached.atMs > cacheMs || wall < cached.atMs) cached = { state: await load(pool, false), atMs: wall };
      return gameNowMs(cached.state, wall);
    },
    /** Moves the game clock forward by `byMs` for every instance; returns the new game time. */
    async advance(byMs: number): Promise<number> {
      return withTransaction(pool, async (client) => {
        const wall = wallNowMs();
        const next = advanceGameClock(await load(client, true), wall, byMs);
        await client.query(`UPDATE game.meta SET value = $2 WHERE key = $1`, [KEY, JSON.stringify(next)]);
        cached = { state: next, atMs: wall };
        return gameNowMs(next, wall);
      });
    },
  };
}

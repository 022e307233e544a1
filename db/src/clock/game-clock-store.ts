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
  // One reload at a time: the calls that find the cache stale while a reload is in flight wait for it.
  let reloading: Promise<{ state: GameClockState; atMs: number }> | undefined;
  let advances = 0;
  async function load(client: pg.Pool | pg.PoolClient, lock: boolean): Promise<GameClockState> {
    const read = async () => (await client.query<{ value: GameClockState }>(`SELECT value FROM game.meta WHERE key = $1${lock ? " FOR UPDATE" : ""}`, [KEY])).rows[0]?.value;
    const found = await read();
    if (found !== undefined) return found;
    await client.query(`INSERT INTO game.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [KEY, JSON.stringify(startGameClock(wallNowMs(), defaultTimeScale))]);
    return (await read())!;
  }

  return {
    /** The game time now, in milliseconds. */
    async nowMs(): Promise<number> {
      const wall = wallNowMs();
      if (!cached || wall - cached.atMs > cacheMs || wall < cached.atMs) {
        const advancesBefore = advances;
        reloading ??= load(pool, false)
          .then((state) => {
            // An advance made here while this read was out is newer than what it read.
            if (advances === advancesBefore || cached === undefined) cached = { state, atMs: wall };
            return cached;
          })
          .finally(() => (reloading = undefined));
        await reloading;
      }
      return gameNowMs(cached!.state, wall);
    },
    /** Moves the game clock forward by `byMs` for every instance; returns the new game time. */
    async advance(byMs: number): Promise<number> {
      const { next, wall } = await withTransaction(pool, async (client) => {
        const wall = wallNowMs();
        const next = advanceGameClock(await load(client, true), wall, byMs);
        await client.query(`UPDATE game.meta SET value = $2 WHERE key = $1`, [KEY, JSON.stringify(next)]);
        return { next, wall };
      });
      // Only once committed: a reload started before then may have read the old anchor.
      cached = { state: next, atMs: wall };
      advances += 1;
      return gameNowMs(next, wall);
    },
  };
}

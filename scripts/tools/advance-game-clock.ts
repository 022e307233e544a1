/**
 * Moves the game clock forward for every API and game-server instance (crops ripen, timers run out).
 *
 * Usage: `npm run game:time -- <seconds>` (DATABASE_URL; default: the database `npm start` runs).
 */
import { createPool } from "../../db/src/pool.ts";
import { createGameClockStore } from "../../db/src/clock/game-clock-store.ts";

const seconds = Number(process.argv[2]);
if (!Number.isFinite(seconds) || seconds <= 0) {
  process.stderr.write("usage: npm run game:time -- <seconds>  (a positive number)\n");
  process.exit(2);
}
const pool = createPool(process.env.DATABASE_URL || "postgres://postgres:postgres@127.0.0.1:5433/harvest");
try {
  const gameNowMs = await createGameClockStore(pool).advance(seconds * 1_000);
  console.log(JSON.stringify({ advancedSeconds: seconds, gameTime: new Date(gameNowMs).toISOString() }));
} finally {
  await pool.end();
}

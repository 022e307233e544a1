/**
 * The game's clock: crops grow and timers run on game time, which moves `timeScale` times as fast as
 * the wall clock and can be pushed forward (development and tests). Every instance reads the same
 * anchor from the database, so they agree on the time.
 */
export type GameClockState = {
  /** Wall-clock milliseconds at the anchor. */
  anchorWallMs: number;
  /** Game-time milliseconds at the anchor. */
  anchorGameMs: number;
  /** Game milliseconds per wall millisecond (1 in production; more to speed up development). */
  timeScale: number;
};

/** A clock that starts now, in step with the wall clock, at `timeScale`. */
export function startGameClock(wallMs: number, timeScale = 1): GameClockState {
  assertScale(timeScale);
  return { anchorWallMs: wallMs, anchorGameMs: wallMs, timeScale };
}

/** The game time at wall time `wallMs`. */
export function gameNowMs(state: GameClockState, wallMs: number): number {
  return Math.floor(state.anchorGameMs + (wallMs - state.anchorWallMs) * state.timeScale);
}

/** The clock moved forward by `byMs` of game time at wall time `wallMs`. Time never runs backwards. */
export function advanceGameClock(state: GameClockState, wallMs: number, byMs: number): GameClockState {
  if (!Number.isFinite(byMs) || byMs < 0) throw new RangeError(`the game clock only moves forward (got ${byMs} ms)`);
  return { anchorWallMs: wallMs, anchorGameMs: gameNowMs(state, wallMs) + byMs, timeScale: state.timeScale };
}

/** The clock running at a new `timeScale` from wall time `wallMs`, without a jump. */
export function rescaleGameClock(state: GameClockState, wallMs: number, timeScale: number): GameClockState {
  assertScale(timeScale);
  return { anchorWallMs: wallMs, anchorGameMs: gameNowMs(state, wallMs), timeScale };
}

function assertScale(timeScale: number) {
  if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 1_000_000) {
    throw new RangeError(`timeScale must be in (0, 1000000], got ${timeScale}`);
  }
}

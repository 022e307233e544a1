/** The four 32-bit words of sfc32's state: plain numbers, so a state serialises as JSON. */
export type Sfc32State = readonly [number, number, number, number];

/**
 * One step of sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 32-bit): the output and the
 * next state. 128 bits of state with a counter word, so any state has a period of at least 2^32; fast
 * and of good statistical quality for games. The farming and battle generators both draw from it.
 */
export function sfc32([a, b, c, d]: Sfc32State): [number, Sfc32State] {
  const t = (((a + b) | 0) + d) | 0;
  const nextD = (d + 1) | 0;
  const nextA = b ^ (b >>> 9);
  const nextB = (c + (c << 3)) | 0;
  const rotated = (c << 21) | (c >>> 11);
  const nextC = (rotated + t) | 0;
  return [t >>> 0, [nextA >>> 0, nextB >>> 0, nextC >>> 0, nextD >>> 0]];
}

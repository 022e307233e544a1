import { keccak256 } from "viem";
import { sfc32, type Sfc32State } from "../random/sfc32.ts";

/**
 * The seeded generator behind every random outcome of the rules. A seed is any string; it is hashed
 * with keccak256 into the 128-bit state of sfc32 (Chris Doty-Humphrey's small fast counting generator,
 * from PractRand: 32-bit arithmetic only, so it is exact in JavaScript and easy to port to a client).
 * Outcomes are recorded with their seed string, so anyone can re-derive them. Not for secrets: the
 * server keeps unrevealed seeds private.
 */

/** A saved generator state (see core/src/random/sfc32.ts). */
export type RngState = Sfc32State;

/** A seeded generator. It is mutable (each draw moves it on); `state()` captures where it is. */
export type Rng = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p` (clamped to [0, 1]). */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** Where the generator is now; `restoreRng(state)` continues from here. */
  state(): RngState;
};

const utf8 = new TextEncoder();

/** Outputs discarded after seeding, so that similar seeds are mixed before the first draw. */
const WARM_UP_ROUNDS = 12;

/** The initial state for `seed`: the first 16 bytes of keccak256 of its UTF-8 bytes, then warmed up. */
export function seedState(seed: string): RngState {
  // Bytes in and out (no hex strings between): the rules hash twice per roll, on every harvest.
  const hash = keccak256(utf8.encode(seed), "bytes");
  const words = new DataView(hash.buffer, hash.byteOffset, 16);
  let state: RngState = [words.getUint32(0), words.getUint32(4), words.getUint32(8), words.getUint32(12)];
  for (let i = 0; i < WARM_UP_ROUNDS; i++) state = sfc32(state)[1];
  return state;
}

/**
 * A generator seeded with `seed`. The same seed always gives the same sequence.
 *
 * @example
 * const rng = createRng(deriveSeed(harvestSeed, "yield"));
 * rng.int(1, 6);
 */
export function createRng(seed: string): Rng {
  return restoreRng(seedState(seed));
}

/** A generator that continues from a saved `state`. */
export function restoreRng(saved: RngState): Rng {
  if (saved.length !== 4 || saved.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff_ffff)) {
    throw new RangeError("an rng state is four unsigned 32-bit integers");
  }
  let state: RngState = [saved[0], saved[1], saved[2], saved[3]];
  const nextUint32 = () => {
    const [value, after] = sfc32(state);
    state = after;
    return value;
  };
  const next = () => nextUint32() / 0x1_0000_0000;
  return {
    next,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new RangeError(`bad range [${min}, ${max}]`);
      // 32 bits against the small ranges the rules use: the modulo bias is below 1e-8, so no rejection loop.
      return min + Math.floor(next() * (max - min + 1));
    },
    chance(p) {
      return next() < p;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError("cannot pick from an empty list");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    state: () => state,
  };
}

/**
 * The seed of a sub-outcome: keccak256 of the JSON pair `[parentSeed, label]` (JSON keeps the pair
 * unambiguous whatever characters either holds). Each roll of a rule draws from its own derived seed,
 * so adding a roll to one part never shifts the others, and each part can be audited on its own.
 *
 * @example
 * deriveSeed("0xabc…", "harvest:land:7:3:1700000000000") // "0x…" (64 hex digits)
 */
export function deriveSeed(parentSeed: string, label: string): string {
  return keccak256(utf8.encode(JSON.stringify([parentSeed, label])));
}

import { hexToBytes, keccak256, stringToHex } from "viem";
import { sfc32, type Sfc32State } from "../random/sfc32.ts";

/** The whole state of the generator: four unsigned 32-bit words (JSON-safe, stored in the battle). */
export type RngState = Sfc32State;

/** A seeded generator. It advances its own copy of the state; `state()` snapshots it for storage. */
export type Rng = {
  /** An unsigned 32-bit integer. */
  nextUint32(): number;
  /** An integer in [0, maxExclusive), without modulo bias. `maxExclusive` is an integer in [1, 2^32]. */
  nextInt(maxExclusive: number): number;
  /** A shuffled copy of `items` (Fisher–Yates); the input is not touched. */
  shuffle<T>(items: readonly T[]): T[];
  state(): RngState;
};

// Domain separation: the same seed string may feed other hashes (audits, commitments) without
// revealing this generator's state.
const seedDomain = "harvest-battles/battle-rng/v1:";

/**
 * The generator state for a string seed: keccak256 of the seed gives 128 bits. keccak (viem) is
 * pure JavaScript, so the rules stay free of node:crypto and run anywhere.
 *
 * @example
 * const rng = createRng(rngStateFromSeed("battle-42"));
 * rng.nextInt(6); // the same number on every machine for this seed
 */
export function rngStateFromSeed(seed: string): RngState {
  const bytes = hexToBytes(keccak256(stringToHex(seedDomain + seed)));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = [0, 4, 8, 12].map((offset) => view.getUint32(offset, false));
  return [words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0];
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, a counter word
 * that guarantees a period of at least 2^32 from any state, and good statistical quality for games.
 */
export function createRng(initial: RngState): Rng {
  let current: Sfc32State = [initial[0] >>> 0, initial[1] >>> 0, initial[2] >>> 0, initial[3] >>> 0];
  const nextUint32 = () => {
    const [value, next] = sfc32(current);
    current = next;
    return value;
  };
  const nextInt = (maxExclusive: number) => {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > 2 ** 32) {
      throw new RangeError(`maxExclusive must be an integer in [1, 2^32], got ${maxExclusive}`);
    }
    // Rejection sampling: drop the top partial block of 2^32 so every result is equally likely.
    const limit = 2 ** 32 - (2 ** 32 % maxExclusive);
    for (;;) {
      const x = nextUint32();
      if (x < limit) return x % maxExclusive;
    }
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = nextInt(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  const state = (): RngState => [...current];
  return { nextUint32, nextInt, shuffle, state };
}

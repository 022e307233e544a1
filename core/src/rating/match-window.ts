import type { Rating } from "./rate-match.ts";

/**
 * How the matchmaking window grows. It starts at ±100 points, or ±RD for an uncertain rating (a
 * newcomer's rating says little, so a near rating is no better a match than a far one), and widens
 * by 50 points every 5 s of waiting, up to ±600: a fair match soon, and some match within a minute
 * even at the ends of the ladder. Steps, not a smooth ramp, so a queue re-pairs only on a step.
 */
export const matchWindowRules = { baseHalfWidth: 100, widenEveryMs: 5_000, widenBy: 50, maxHalfWidth: 600 } as const;

/** The closed range of ratings a player who has waited `waitedMs` may be paired with. */
export type MatchWindow = { min: number; max: number };

/**
 * The ratings `rating` may face after waiting `waitedMs` (negative or non-finite waits count as 0).
 *
 * @example
 * matchWindow({ rating: 1500, rd: 60, vol: 0.06 }, 12_000) // { min: 1300, max: 1700 }
 */
export function matchWindow(rating: Rating, waitedMs: number): MatchWindow {
  const r = matchWindowRules;
  const waited = Number.isFinite(waitedMs) && waitedMs > 0 ? waitedMs : 0;
  const half = Math.min(r.maxHalfWidth, Math.max(r.baseHalfWidth, rating.rd) + Math.floor(waited / r.widenEveryMs) * r.widenBy);
  return { min: rating.rating - half, max: rating.rating + half };
}

/**
 * Whether two waiting players may be paired: each rating lies in the other's window, so neither
 * is matched further away than it has agreed to by waiting.
 */
export function canMatch(a: { rating: Rating; waitedMs: number }, b: { rating: Rating; waitedMs: number }): boolean {
  const inside = (w: MatchWindow, x: number) => x >= w.min && x <= w.max;
  return inside(matchWindow(a.rating, a.waitedMs), b.rating.rating) && inside(matchWindow(b.rating, b.waitedMs), a.rating.rating);
}

import { Glicko2, type Glicko2Player } from "glicko2";

/** A player's Glicko-2 rating: the rating, its deviation (uncertainty) and its volatility. */
export type Rating = { rating: number; rd: number; vol: number };

export type MatchResult = "a" | "b" | "draw";

/**
 * Glicko-2 settings. tau 0.5 is the middle of Glickman's recommended 0.3..1.2. RD stays within
 * 30..350: 350 is an unknown newcomer; the floor keeps an established rating able to move (a
 * season should not freeze anyone).
 */
export const ratingRules = { initial: { rating: 1500, rd: 350, vol: 0.06 }, tau: 0.5, minRd: 30, maxRd: 350 } as const;

/** The rating of a player who has not played yet. */
export function newRating(): Rating {
  return { ...ratingRules.initial };
}

/**
 * The ratings of both players after one match. Each match is its own rating period: players want
 * to see their rating move when a battle ends, not at the end of a week.
 *
 * Why a library: Glicko-2's volatility step is an iterative root search (Illinois method) that is
 * easy to get subtly wrong; `glicko2` implements Glickman's paper, including its 2022 correction,
 * and is small with no dependencies. This wrapper keeps it pure: a fresh instance per call, inputs
 * never changed.
 *
 * @example
 * rateMatch({ a: newRating(), b: newRating(), result: "a" })
 * // { a: { rating: 1662.3, rd: 290.3, vol: 0.06 }, b: { rating: 1337.7, rd: 290.3, vol: 0.06 } } (rounded)
 */
export function rateMatch(params: { a: Rating; b: Rating; result: MatchResult }): { a: Rating; b: Rating } {
  assertRating(params.a);
  assertRating(params.b);
  const ranking = new Glicko2({ tau: ratingRules.tau, ...ratingRules.initial });
  const a = playerFor(ranking, params.a);
  const b = playerFor(ranking, params.b);
  const outcome = params.result === "a" ? 1 : params.result === "b" ? 0 : 0.5;
  ranking.updateRatings([[a, b, outcome]]);
  return { a: ratingOf(a), b: ratingOf(b) };
}

function playerFor(ranking: Glicko2, rating: Rating): Glicko2Player {
  const player = ranking.makePlayer();
  // Set explicitly: makePlayer(rating, rd, vol) treats 0 as "use the default".
  player.setRating(rating.rating);
  player.setRd(clampRd(rating.rd));
  player.setVol(rating.vol);
  return player;
}

function ratingOf(player: Glicko2Player): Rating {
  return { rating: player.getRating(), rd: clampRd(player.getRd()), vol: player.getVol() };
}

function clampRd(rd: number): number {
  return Math.min(ratingRules.maxRd, Math.max(ratingRules.minRd, rd));
}

function assertRating(r: Rating): void {
  if (!Number.isFinite(r.rating) || !Number.isFinite(r.rd) || r.rd <= 0 || !Number.isFinite(r.vol) || r.vol <= 0) {
    throw new RangeError(`not a Glicko-2 rating: ${JSON.stringify(r)}`);
  }
}

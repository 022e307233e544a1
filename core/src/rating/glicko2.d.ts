// Types for the `glicko2` package (1.2.x), which ships none: only the parts rate-match.ts uses.
declare module "glicko2" {
  export type Glicko2Settings = {
    /** System constant: how much volatility may change (0.3 to 1.2 per Glickman). */
    tau?: number;
    rating?: number;
    rd?: number;
    vol?: number;
    volatility_algorithm?: "newprocedure" | "newprocedure_mod" | "oldprocedure" | "oldprocedure_simple";
  };

  export interface Glicko2Player {
    getRating(): number;
    setRating(rating: number): void;
    getRd(): number;
    setRd(rd: number): void;
    getVol(): number;
    setVol(vol: number): void;
    /** The probability that this player beats `other`. */
    predict(other: Glicko2Player): number;
  }

  /** Outcome for the first player: 1 win, 0.5 draw, 0 loss. */
  export type Glicko2Match = [Glicko2Player, Glicko2Player, number];

  export class Glicko2 {
    constructor(settings?: Glicko2Settings);
    makePlayer(rating?: number, rd?: number, vol?: number): Glicko2Player;
    /** Updates every player of this instance for one rating period made of `matches`. */
    updateRatings(matches: Glicko2Match[]): void;
    predict(a: Glicko2Player, b: Glicko2Player): number;
  }
}

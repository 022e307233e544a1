import type { ItemStack } from "../crafting/recipes.ts";
import type { Seed } from "../farming/planting.ts";
import { createRng, deriveSeed } from "../farming/random.ts";
import { rollVendorGenome } from "../farming/vendor.ts";
import type { BattleResult } from "./state.ts";

/**
 * What a finished match between two players pays into each farm. A win pays about one harvest of
 * wheat plus a seed to plant, so that battles feed the farming loop without replacing it; a loss
 * still pays a little (time spent is not wasted); a draw pays in between. Ranked and casual pay the
 * same: the rating is ranked play's stake.
 */
export const matchRewardRules = {
  win: { grain: 4, petal: 1, seeds: 1 },
  draw: { grain: 2, petal: 0, seeds: 1 },
  loss: { grain: 1, petal: 0, seeds: 0 },
} as const;

export type MatchReward = { outcome: "win" | "draw" | "loss"; resources: ItemStack[]; seeds: Seed[] };

/**
 * The reward of `playerId` for a match that ended with `result`. The seeds' genes are rolled like the
 * vendor's from `seed` (recorded with the payout, so that it can be re-derived).
 *
 * @example
 * matchReward({ winnerId: "7", reason: "hero_destroyed" }, "7", "battle-seed")
 * // { outcome: "win", resources: [{ kind: "grain", quality: 1, quantity: 4 }, ...], seeds: [{ crop: "wheat", genome }] }
 */
export function matchReward(result: BattleResult, playerId: string, seed: string): MatchReward {
  const outcome = result.winnerId === null ? "draw" : result.winnerId === playerId ? "win" : "loss";
  const rule = matchRewardRules[outcome];
  const resources: ItemStack[] = [];
  if (rule.grain > 0) resources.push({ kind: "grain", quality: 1, quantity: rule.grain });
  if (rule.petal > 0) resources.push({ kind: "petal", quality: 1, quantity: rule.petal });
  const rng = createRng(deriveSeed(seed, `match-reward:${playerId}`));
  const seeds: Seed[] = Array.from({ length: rule.seeds }, () => ({ crop: "wheat", genome: rollVendorGenome(rng) }));
  return { outcome, resources, seeds };
}

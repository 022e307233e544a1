import type { TargetRef } from "./actions.ts";
import { otherSeat, type Draft } from "./draft.ts";
import type { Spot } from "./effects.ts";

/**
 * Where `ref` points for the player at `actingSeat`: "hero" the opposing hero, "own_hero" its own,
 * otherwise a unit on either board. Null when nothing matches.
 */
export function resolveTarget(draft: Draft, actingSeat: 0 | 1, ref: TargetRef): Spot | null {
  if (ref === "hero") return { seat: otherSeat(actingSeat), unitId: null };
  if (ref === "own_hero") return { seat: actingSeat, unitId: null };
  for (const seat of [actingSeat, otherSeat(actingSeat)] as const) {
    if (draft.battle.players[seat].board.some((unit) => unit.card.id === ref)) return { seat, unitId: ref };
  }
  return null;
}

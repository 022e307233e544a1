import type { ItemKind, ItemStack, Recipe } from "./recipes.ts";
import { countOf, mergeStacks } from "./inventory.ts";

export type SelectInputsResult =
  | { ok: true; consumed: ItemStack[] }
  | { ok: false; code: "MISSING_INPUTS" | "MISSING_CATALYST"; kind: ItemKind; needed: number; offered: number };

/**
 * Which of the offered stacks a recipe spends: exactly the recipe's quantities, nothing more. When the
 * player offers more than a need takes, the best grades go first (the player offered them for this
 * card, and better produce makes a better card). Needs with a higher minimum quality are filled first,
 * so a lenient need never takes the units a strict one of the same kind requires.
 */
export function selectInputs(recipe: Recipe, offered: readonly ItemStack[]): SelectInputsResult {
  let pool = mergeStacks(offered);
  const consumed: ItemStack[] = [];
  const needs = [...recipe.inputs].sort((a, b) => b.minQuality - a.minQuality);
  for (const need of needs) {
    const available = countOf(pool, need.kind, need.minQuality);
    if (available < need.quantity) {
      return { ok: false, code: "MISSING_INPUTS", kind: need.kind, needed: need.quantity, offered: available };
    }
    let left = need.quantity;
    pool = pool.map((stack) => {
      if (left === 0 || stack.kind !== need.kind || stack.quality < need.minQuality) return stack;
      const take = Math.min(left, stack.quantity);
      left -= take;
      consumed.push({ kind: stack.kind, quality: stack.quality, quantity: take });
      return { ...stack, quantity: stack.quantity - take };
    });
  }
  if (recipe.catalyst !== null) {
    const { kind, quantity } = recipe.catalyst;
    const available = countOf(pool, kind);
    if (available < quantity) return { ok: false, code: "MISSING_CATALYST", kind, needed: quantity, offered: available };
    consumed.push({ kind, quality: 1, quantity });
  }
  return { ok: true, consumed: mergeStacks(consumed) };
}

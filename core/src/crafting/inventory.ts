import { farmingCatalogue, isResourceKind } from "../farming/catalogue.ts";
import { catalystKinds, type ItemKind, type ItemStack } from "./recipes.ts";

/**
 * Item stacks as the inventory holds them: one stack per kind and quality grade. These helpers keep
 * the canonical form (merged, no empty stacks, sorted by kind then best quality first) and never let a
 * count go below zero.
 */

/** Whether `kind` is an item the game knows (produce or catalyst). */
export function isItemKind(kind: unknown): kind is ItemKind {
  return isResourceKind(kind) || (typeof kind === "string" && Object.hasOwn(catalystKinds, kind));
}

/**
 * Whether every stack is well formed: a known kind, a whole positive quantity, a quality grade in
 * 1..5 (always 1 for catalysts, which have no grades).
 */
export function areValidStacks(stacks: readonly ItemStack[]): boolean {
  const { minQuality, maxQuality } = farmingCatalogue.harvest;
  return stacks.every(
    (s) =>
      isItemKind(s.kind) &&
      Number.isSafeInteger(s.quantity) &&
      s.quantity > 0 &&
      Number.isInteger(s.quality) &&
      (isResourceKind(s.kind) ? s.quality >= minQuality && s.quality <= maxQuality : s.quality === minQuality),
  );
}

/** The stacks merged by kind and quality, empty ones dropped, sorted by kind then quality (best first). */
export function mergeStacks(stacks: readonly ItemStack[]): ItemStack[] {
  const merged = new Map<string, ItemStack>();
  for (const s of stacks) {
    const key = `${s.kind}\u0000${s.quality}`;
    const before = merged.get(key);
    merged.set(key, { kind: s.kind, quality: s.quality, quantity: (before?.quantity ?? 0) + s.quantity });
  }
  return [...merged.values()]
    .filter((s) => s.quantity !== 0)
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : b.quality - a.quality));
}

/** The inventory with `items` added. */
export function addItems(inventory: readonly ItemStack[], items: readonly ItemStack[]): ItemStack[] {
  return mergeStacks([...inventory, ...items]);
}

export type TakeItemsResult =
  | { ok: true; inventory: ItemStack[] }
  | { ok: false; code: "INSUFFICIENT_ITEMS"; kind: ItemKind; quality: number };

/** The inventory with `items` taken out, or INSUFFICIENT_ITEMS (and nothing taken) when any stack is short. */
export function takeItems(inventory: readonly ItemStack[], items: readonly ItemStack[]): TakeItemsResult {
  const after = mergeStacks([...inventory, ...items.map((s) => ({ ...s, quantity: -s.quantity }))]);
  const short = after.find((s) => s.quantity < 0);
  if (short !== undefined) return { ok: false, code: "INSUFFICIENT_ITEMS", kind: short.kind, quality: short.quality };
  return { ok: true, inventory: after };
}

/** How many units of `kind` at `minQuality` or better the stacks hold. */
export function countOf(stacks: readonly ItemStack[], kind: ItemKind, minQuality = 1): number {
  return stacks.reduce((sum, s) => (s.kind === kind && s.quality >= minQuality ? sum + s.quantity : sum), 0);
}

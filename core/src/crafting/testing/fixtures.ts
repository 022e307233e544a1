import fc from "fast-check";
import { resourceKinds } from "../../farming/catalogue.ts";
import type { CraftGates } from "../craft.ts";
import { catalystKinds, type CatalystKind, type ItemStack } from "../recipes.ts";

/** A crafter with every gate open, and one with none. */
export const allGates: CraftGates = { hasWorkshop: true, heldBaseCards: ["ember-whelp"] };
export const noGates: CraftGates = { hasWorkshop: false, heldBaseCards: [] };

/** A stack of produce. */
export function stack(kind: ItemStack["kind"], quantity: number, quality = 1): ItemStack {
  return { kind, quality, quantity };
}

/** A valid stack of produce or a catalyst. */
export const stackArb: fc.Arbitrary<ItemStack> = fc.oneof(
  fc.record({
    kind: fc.constantFrom(...resourceKinds),
    quality: fc.integer({ min: 1, max: 5 }),
    quantity: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({
    kind: fc.constantFrom(...(Object.keys(catalystKinds) as CatalystKind[])),
    quality: fc.constant(1),
    quantity: fc.integer({ min: 1, max: 3 }),
  }),
);

/** An inventory of up to 12 stacks. */
export const stacksArb = fc.array(stackArb, { maxLength: 12 });

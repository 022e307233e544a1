import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { propertyRuns } from "../farming/testing/arbitraries.ts";
import { addItems, areValidStacks, countOf, mergeStacks, takeItems } from "./inventory.ts";
import { stack, stacksArb } from "./testing/fixtures.ts";

describe("item stacks", () => {
  it("merge by kind and quality, best quality first within a kind", () => {
    assert.deepEqual(mergeStacks([stack("grain", 2, 1), stack("berry", 1, 3), stack("grain", 3, 1), stack("grain", 1, 4)]), [
      stack("berry", 1, 3),
      stack("grain", 1, 4),
      stack("grain", 5, 1),
    ]);
  });

  it("take what is there, and refuse (taking nothing) what is not", () => {
    const inventory = [stack("grain", 5, 2), stack("petal", 1, 1)];
    assert.deepEqual(takeItems(inventory, [stack("grain", 5, 2)]), { ok: true, inventory: [stack("petal", 1, 1)] });
    assert.deepEqual(takeItems(inventory, [stack("grain", 6, 2)]), { ok: false, code: "INSUFFICIENT_ITEMS", kind: "grain", quality: 2 });
    assert.deepEqual(takeItems(inventory, [stack("grain", 1, 3)]), { ok: false, code: "INSUFFICIENT_ITEMS", kind: "grain", quality: 3 });
  });

  it("never go negative, and adding then taking gives the inventory back", () => {
    fc.assert(
      fc.property(stacksArb, stacksArb, (inventory, items) => {
        const taken = takeItems(inventory, items);
        if (taken.ok) assert.ok(taken.inventory.every((s) => s.quantity > 0));
        const back = takeItems(addItems(inventory, items), items);
        assert.ok(back.ok);
        assert.deepEqual(back.inventory, mergeStacks(inventory));
      }),
      propertyRuns,
    );
  });

  it("count units at a minimum quality", () => {
    const stacks = [stack("grain", 2, 1), stack("grain", 3, 3), stack("grain", 4, 5)];
    assert.equal(countOf(stacks, "grain"), 9);
    assert.equal(countOf(stacks, "grain", 3), 7);
    assert.equal(countOf(stacks, "petal"), 0);
  });

  it("are valid only with a known kind, a positive whole quantity and a grade (1 for catalysts)", () => {
    assert.equal(areValidStacks([stack("grain", 1, 5), stack("stardust", 2, 1)]), true);
    for (const bad of [stack("grain", 0), stack("grain", -1), stack("grain", 1.5), stack("grain", 1, 6), stack("stardust", 1, 2)]) {
      assert.equal(areValidStacks([bad]), false, JSON.stringify(bad));
    }
    assert.equal(areValidStacks([{ kind: "gold" as "grain", quality: 1, quantity: 1 }]), false);
  });
});

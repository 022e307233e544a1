import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { propertyRuns } from "../farming/testing/arbitraries.ts";
import {
  applyMovement,
  balanceMovement,
  ledgerStates,
  mayExpire,
  nextState,
  reconcile,
  type ItemBalance,
  type LedgerEntry,
  type LedgerEvent,
  type LedgerState,
} from "./ledger.ts";
import { stack } from "./testing/fixtures.ts";

const events: LedgerEvent[] = ["issue_voucher", "confirm_mint", "expire", "refund"];

const entry = (craftId: string, state: LedgerState, quantity = 3, voucherDeadline: bigint | null = null): LedgerEntry => ({
  craftId,
  owner: "alice",
  state,
  items: [stack("grain", quantity, 2)],
  voucherDeadline,
});
const balance = (available: number, reserved: number): ItemBalance => ({ owner: "alice", kind: "grain", quality: 2, available, reserved });

describe("nextState", () => {
  it("follows reserved -> voucher_issued -> minted, and -> expired -> refunded", () => {
    assert.deepEqual(nextState("reserved", "issue_voucher"), { ok: true, state: "voucher_issued", changed: true });
    assert.deepEqual(nextState("voucher_issued", "confirm_mint"), { ok: true, state: "minted", changed: true });
    assert.deepEqual(nextState("reserved", "expire"), { ok: true, state: "expired", changed: true });
    assert.deepEqual(nextState("voucher_issued", "expire"), { ok: true, state: "expired", changed: true });
    assert.deepEqual(nextState("expired", "refund"), { ok: true, state: "refunded", changed: true });
  });

  it("treats a redelivered event as a no-op", () => {
    assert.deepEqual(nextState("minted", "confirm_mint"), { ok: true, state: "minted", changed: false });
    assert.deepEqual(nextState("expired", "expire"), { ok: true, state: "expired", changed: false });
    assert.deepEqual(nextState("refunded", "refund"), { ok: true, state: "refunded", changed: false });
  });

  it("refuses a mint without a voucher or after expiry, a refund of a live or minted craft, and leaving an end state", () => {
    for (const [from, event] of [
      ["reserved", "confirm_mint"],
      ["expired", "confirm_mint"],
      ["reserved", "refund"],
      ["voucher_issued", "refund"],
      ["minted", "refund"],
      ["minted", "expire"],
      ["refunded", "expire"],
      ["refunded", "issue_voucher"],
      ["expired", "issue_voucher"],
    ] as const) {
      assert.deepEqual(nextState(from, event), { ok: false, code: "INVALID_TRANSITION", from, event });
    }
  });

  it("never leaves the table of states", () => {
    for (const state of ledgerStates) for (const event of events) {
      const next = nextState(state, event);
      if (next.ok) assert.ok(ledgerStates.includes(next.state));
    }
  });
});

describe("mayExpire", () => {
  it("expires a reservation at once, a voucher only after its deadline on the chain", () => {
    assert.equal(mayExpire(entry("a", "reserved"), 0n), true);
    assert.equal(mayExpire(entry("a", "voucher_issued", 3, 100n), 100n), false);
    assert.equal(mayExpire(entry("a", "voucher_issued", 3, 100n), 101n), true);
    assert.equal(mayExpire(entry("a", "minted", 3, 100n), 500n), false);
  });
});

describe("reconcile", () => {
  it("finds nothing wrong when reserved counts match the open entries", () => {
    const entries = [entry("a", "reserved", 2), entry("b", "voucher_issued", 3, 100n), entry("c", "minted", 5), entry("d", "refunded", 7)];
    assert.deepEqual(reconcile(entries, [balance(10, 5)], 50n), { ok: true, issues: [] });
  });

  it("reports resources reserved but neither spent nor refunded, and ones released twice", () => {
    assert.deepEqual(reconcile([entry("a", "minted")], [balance(0, 3)]).issues, [
      { code: "RESERVED_MISMATCH", owner: "alice", kind: "grain", quality: 2, expected: 0, actual: 3 },
    ]);
    assert.deepEqual(reconcile([entry("a", "reserved")], []).issues, [
      { code: "RESERVED_MISMATCH", owner: "alice", kind: "grain", quality: 2, expected: 3, actual: 0 },
    ]);
  });

  it("reports negative counts, refunds pending, overdue expiries and duplicate ids", () => {
    const { ok, issues } = reconcile(
      [entry("a", "expired"), entry("b", "voucher_issued", 1, 10n), entry("b", "minted", 0)],
      [balance(-1, 4)],
      11n,
    );
    assert.equal(ok, false);
    assert.deepEqual(issues.map((i) => i.code).sort(), ["DUPLICATE_ENTRY", "EXPIRY_OVERDUE", "NEGATIVE_BALANCE", "REFUND_PENDING"]);
  });
});

describe("balance movements", () => {
  it("reserve on creation, spend on mint, release on refund, nothing otherwise", () => {
    assert.equal(balanceMovement(null, "reserved"), "reserve");
    assert.equal(balanceMovement("voucher_issued", "minted"), "spend");
    assert.equal(balanceMovement("expired", "refunded"), "release");
    assert.equal(balanceMovement("reserved", "voucher_issued"), "none");
    assert.equal(balanceMovement("minted", "minted"), "none");
  });

  it("refuses to take more than is there", () => {
    assert.deepEqual(applyMovement([balance(2, 0)], "alice", [stack("grain", 3, 2)], "reserve"), {
      ok: false,
      code: "INSUFFICIENT_ITEMS",
      kind: "grain",
      quality: 2,
    });
    assert.deepEqual(applyMovement([balance(2, 0)], "alice", [stack("grain", 2, 2)], "reserve"), { ok: true, balances: [balance(0, 2)] });
  });
});

describe("crafting sagas (property)", () => {
  const action = fc.oneof(
    fc.record({ type: fc.constant("craft" as const), owner: fc.constantFrom("alice", "bob"), quantity: fc.integer({ min: 1, max: 6 }), quality: fc.integer({ min: 1, max: 2 }) }),
    fc.record({ type: fc.constant("event" as const), pick: fc.nat(), event: fc.constantFrom(...events) }),
  );

  it("never drives a balance negative, conserves every unit, and leaves no drift but pending refunds", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const initial = 10;
        let balances: ItemBalance[] = ["alice", "bob"].flatMap((owner) =>
          [1, 2].map((quality) => ({ owner, kind: "grain" as const, quality, available: initial, reserved: 0 })),
        );
        const entries: LedgerEntry[] = [];
        const spent = new Map<string, number>();
        for (const [i, step] of actions.entries()) {
          if (step.type === "craft") {
            const items = [stack("grain", step.quantity, step.quality)];
            const moved = applyMovement(balances, step.owner, items, balanceMovement(null, "reserved"));
            if (!moved.ok) continue;
            balances = moved.balances;
            entries.push({ craftId: `c${i}`, owner: step.owner, state: "reserved", items, voucherDeadline: null });
          } else if (entries.length > 0) {
            const target = entries[step.pick % entries.length] as LedgerEntry;
            const next = nextState(target.state, step.event);
            if (!next.ok || !next.changed) continue;
            const movement = balanceMovement(target.state, next.state);
            const moved = applyMovement(balances, target.owner, target.items, movement);
            assert.ok(moved.ok, "a valid transition always has the items it moves");
            balances = moved.balances;
            if (movement === "spend") for (const item of target.items) spent.set(`${target.owner}:${item.quality}`, (spent.get(`${target.owner}:${item.quality}`) ?? 0) + item.quantity);
            target.state = next.state;
          }
          assert.ok(balances.every((b) => b.available >= 0 && b.reserved >= 0));
          const issues = reconcile(entries, balances).issues.filter((issue) => issue.code !== "REFUND_PENDING");
          assert.deepEqual(issues, []);
        }
        for (const b of balances) assert.equal(b.available + b.reserved + (spent.get(`${b.owner}:${b.quality}`) ?? 0), initial);
      }),
      propertyRuns,
    );
  });
});

import type { ItemKind, ItemStack } from "./recipes.ts";

/**
 * The ledger of a crafting saga, the craft that ends in a mint. The resources are reserved when the
 * card is crafted for minting, stay reserved while its voucher is outstanding, and are spent when the
 * indexer sees the mint, or given back when the voucher lapses unminted:
 *
 * ```
 * reserved ──issue_voucher──> voucher_issued ──confirm_mint──> minted
 *     │                             │
 *     └──────────expire─────────────┴──> expired ──refund──> refunded
 * ```
 *
 * `expire` is safe only when no mint can still land: a voucher's deadline must be behind the indexed
 * chain's time (see `mayExpire`), since the contract accepts a voucher up to its deadline.
 */
export const ledgerTransitions = {
  reserved: { issue_voucher: "voucher_issued", expire: "expired" },
  voucher_issued: { confirm_mint: "minted", expire: "expired" },
  expired: { refund: "refunded" },
  minted: {},
  refunded: {},
} as const satisfies Record<string, Record<string, string>>;

export type LedgerState = keyof typeof ledgerTransitions;
export type LedgerEvent = "issue_voucher" | "confirm_mint" | "expire" | "refund";

/** Every state, and the states in which the entry's items are still held in reserve. */
export const ledgerStates = Object.keys(ledgerTransitions) as LedgerState[];
export const holdingStates: readonly LedgerState[] = ["reserved", "voucher_issued", "expired"];

/** Where each event leads, whatever the state it comes from. */
const eventTargets: Record<LedgerEvent, LedgerState> = {
  issue_voucher: "voucher_issued",
  confirm_mint: "minted",
  expire: "expired",
  refund: "refunded",
};

export type NextStateResult =
  | { ok: true; state: LedgerState; changed: boolean }
  | { ok: false; code: "INVALID_TRANSITION"; from: LedgerState; event: LedgerEvent };

/**
 * The state after `event`. An event that already took effect (the entry is in its target state) is a
 * no-op with `changed: false`, because events are delivered at least once; any other event outside the
 * table is INVALID_TRANSITION.
 */
export function nextState(current: LedgerState, event: LedgerEvent): NextStateResult {
  const table: Partial<Record<LedgerEvent, LedgerState>> = ledgerTransitions[current];
  const target = table[event];
  if (target !== undefined) return { ok: true, state: target, changed: true };
  if (eventTargets[event] === current) return { ok: true, state: current, changed: false };
  return { ok: false, code: "INVALID_TRANSITION", from: current, event };
}

/** One crafting saga's entry. */
export type LedgerEntry = {
  craftId: string;
  owner: string;
  state: LedgerState;
  /** The items reserved for the craft (the `consumed` stacks of `craft`). */
  items: readonly ItemStack[];
  /** The voucher's deadline in UNIX seconds, once one is issued. */
  voucherDeadline: bigint | null;
};

/**
 * Whether the entry may expire at the indexed chain's time `chainNowSeconds`: always before a voucher
 * is issued (nothing can mint), and after one only once its deadline has passed on the chain.
 */
export function mayExpire(entry: LedgerEntry, chainNowSeconds: bigint): boolean {
  if (entry.state === "reserved") return true;
  return entry.state === "voucher_issued" && entry.voucherDeadline !== null && chainNowSeconds > entry.voucherDeadline;
}

/** One owner's count of one item, split into what it may spend and what sagas hold. */
export type ItemBalance = { owner: string; kind: ItemKind; quality: number; available: number; reserved: number };

/** A disagreement between the ledger and the balances, or an entry stuck where it should not be. */
export type DriftIssue =
  | { code: "RESERVED_MISMATCH"; owner: string; kind: ItemKind; quality: number; expected: number; actual: number }
  | { code: "NEGATIVE_BALANCE"; owner: string; kind: ItemKind; quality: number; available: number; reserved: number }
  | { code: "REFUND_PENDING"; craftId: string }
  | { code: "EXPIRY_OVERDUE"; craftId: string }
  | { code: "DUPLICATE_ENTRY"; craftId: string };

export type ReconcileResult = { ok: boolean; issues: DriftIssue[] };

/**
 * Compares the ledger with the balances. The reserved count of every owner's item must equal what its
 * open entries hold (reserved, voucher_issued, expired): more means resources reserved but neither
 * spent nor refunded, less means spent or refunded twice. It also reports negative counts, expired
 * entries still waiting for their refund, duplicate craft ids, and (given the indexed chain's time)
 * vouchers past their deadline that were never expired.
 */
export function reconcile(entries: readonly LedgerEntry[], balances: readonly ItemBalance[], chainNowSeconds?: bigint): ReconcileResult {
  const issues: DriftIssue[] = [];
  const expected = new Map<string, { owner: string; kind: ItemKind; quality: number; quantity: number }>();
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.craftId)) issues.push({ code: "DUPLICATE_ENTRY", craftId: entry.craftId });
    seen.add(entry.craftId);
    if (entry.state === "expired") issues.push({ code: "REFUND_PENDING", craftId: entry.craftId });
    if (chainNowSeconds !== undefined && entry.state === "voucher_issued" && mayExpire(entry, chainNowSeconds)) {
      issues.push({ code: "EXPIRY_OVERDUE", craftId: entry.craftId });
    }
    if (!holdingStates.includes(entry.state)) continue;
    for (const item of entry.items) {
      const key = balanceKey(entry.owner, item.kind, item.quality);
      const before = expected.get(key)?.quantity ?? 0;
      expected.set(key, { owner: entry.owner, kind: item.kind, quality: item.quality, quantity: before + item.quantity });
    }
  }
  const actual = new Map<string, number>();
  for (const b of balances) {
    if (b.available < 0 || b.reserved < 0) issues.push({ code: "NEGATIVE_BALANCE", ...b });
    const key = balanceKey(b.owner, b.kind, b.quality);
    actual.set(key, (actual.get(key) ?? 0) + b.reserved);
    if (!expected.has(key)) expected.set(key, { owner: b.owner, kind: b.kind, quality: b.quality, quantity: 0 });
  }
  for (const [key, want] of [...expected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const have = actual.get(key) ?? 0;
    if (have !== want.quantity) {
      issues.push({ code: "RESERVED_MISMATCH", owner: want.owner, kind: want.kind, quality: want.quality, expected: want.quantity, actual: have });
    }
  }
  return { ok: issues.length === 0, issues };
}

/** How a saga moves an owner's items when its entry enters `to`. */
export type BalanceMovement = "reserve" | "spend" | "release" | "none";

/** The movement of entering `to` from `from` (null: the entry is new). */
export function balanceMovement(from: LedgerState | null, to: LedgerState): BalanceMovement {
  if (from === to) return "none";
  if (from === null) return to === "reserved" ? "reserve" : "none";
  if (to === "minted") return "spend";
  if (to === "refunded") return "release";
  return "none";
}

export type ApplyMovementResult =
  | { ok: true; balances: ItemBalance[] }
  | { ok: false; code: "INSUFFICIENT_ITEMS"; kind: ItemKind; quality: number };

/**
 * The balances after a movement of `items` for `owner`: reserve moves available to reserved, spend
 * removes from reserved, release moves reserved back to available. Refuses (changing nothing) when a
 * count would go below zero.
 */
export function applyMovement(balances: readonly ItemBalance[], owner: string, items: readonly ItemStack[], movement: BalanceMovement): ApplyMovementResult {
  const [availableSign, reservedSign] = ({ reserve: [-1, 1], spend: [0, -1], release: [1, -1], none: [0, 0] } as const)[movement];
  const next = balances.map((b) => ({ ...b }));
  for (const item of items) {
    let row = next.find((b) => b.owner === owner && b.kind === item.kind && b.quality === item.quality);
    if (row === undefined) {
      row = { owner, kind: item.kind, quality: item.quality, available: 0, reserved: 0 };
      next.push(row);
    }
    row.available += availableSign * item.quantity;
    row.reserved += reservedSign * item.quantity;
    if (row.available < 0 || row.reserved < 0) return { ok: false, code: "INSUFFICIENT_ITEMS", kind: item.kind, quality: item.quality };
  }
  return { ok: true, balances: next };
}

function balanceKey(owner: string, kind: string, quality: number): string {
  return JSON.stringify([owner, kind, quality]);
}

import type { CompactBattleView, CompactOwnPlayerView, CompactPublicPlayerView } from "./compact-views.ts";

// What battle.events carries instead of a whole view (protocol 4, docs/adr/013): only the fields of
// the view that the action changed. A whole view is ~1.2 KB and most actions change a few of its
// fields; each action sends one to each player, and both sides of the socket pay for every byte.

/**
 * The fields of a view that changed, each with its new value. `you` and `opponent`, when present,
 * hold only their own changed fields. A list (a hand, a board, a discard pile) comes whole when any
 * part of it changed, so that a client merges at two levels and never inside a list.
 */
export type ViewChanges = Partial<Omit<CompactBattleView, "you" | "opponent">> & {
  you?: Partial<CompactOwnPlayerView>;
  opponent?: Partial<CompactPublicPlayerView>;
};

/**
 * The changes that turn `before` into `after`, two views of one player in one battle: every
 * top-level field whose value differs, and of each side every field that differs. Equal views
 * give `{}`. Nothing is in the changes that is not in `after`, so they show no more than it does.
 */
export function viewChangesBetween(before: CompactBattleView, after: CompactBattleView): ViewChanges {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof CompactBattleView)[]) {
    if (key === "you" || key === "opponent") continue;
    if (!samePlainData(before[key], after[key])) changes[key] = after[key];
  }
  const you = changedFields(before.you, after.you);
  if (you !== null) changes.you = you;
  const opponent = changedFields(before.opponent, after.opponent);
  if (opponent !== null) changes.opponent = opponent;
  return changes as ViewChanges;
}

/**
 * The view `changes` make of `view` (a new object; `view` is left as it was). The caller checks
 * first that `view` is the one the changes were made from: battle.events names it (`baseSeq`, its
 * `seq`); a client whose view is another asks for a snapshot instead.
 *
 * @example
 * if (message.baseSeq !== view.seq) send({ type: "battle.resume", battleId, seq: next() });
 * else view = applyViewChanges(view, message.changes);
 */
export function applyViewChanges(view: CompactBattleView, changes: ViewChanges): CompactBattleView {
  const { you, opponent, ...top } = changes;
  return { ...view, ...top, you: you === undefined ? view.you : { ...view.you, ...you }, opponent: opponent === undefined ? view.opponent : { ...view.opponent, ...opponent } };
}

function changedFields<T extends object>(before: T, after: T): Partial<T> | null {
  let changed: Partial<T> | null = null;
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (samePlainData(before[key], after[key])) continue;
    changed ??= {};
    changed[key] = after[key];
  }
  return changed;
}

/** Deep equality of JSON-like data (numbers, strings, booleans, null, arrays and plain objects). */
function samePlainData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlainData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) if (!samePlainData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  return true;
}

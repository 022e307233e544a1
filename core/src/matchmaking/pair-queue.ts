import { canMatch, matchWindowRules } from "../rating/match-window.ts";
import type { Rating } from "../rating/rate-match.ts";

/** The queues a player may join; private matches pair by invite code, not here. */
export type QueueMode = "ranked" | "casual";

/** A queued player as the matchmaker sees it. */
export type QueueEntry = {
  playerId: string;
  mode: QueueMode;
  rating: Rating;
  /** deckPower of the deck the player queued with (about 100 for a deck of fair cards). */
  deckPower: number;
  waitedMs: number;
};

/**
 * How far apart two decks' powers may be. A starter deck scores about 100 and a strong crafted deck
 * 130 or more: ±10 keeps early matches between like decks, and the window widens with waiting (by 5
 * every 5 s, up to ±60) so that nobody waits for ever because their deck is unusual.
 */
export const deckPowerWindowRules = { baseHalfWidth: 10, widenEveryMs: 5_000, widenBy: 5, maxHalfWidth: 60 } as const;

/** How far from its own deck power a player who has waited `waitedMs` may be paired. */
export function deckPowerHalfWidth(waitedMs: number): number {
  const r = deckPowerWindowRules;
  const waited = Number.isFinite(waitedMs) && waitedMs > 0 ? waitedMs : 0;
  return Math.min(r.maxHalfWidth, r.baseHalfWidth + Math.floor(waited / r.widenEveryMs) * r.widenBy);
}

/**
 * Whether two queued players may face each other: same queue, not the same player, deck powers
 * within both players' windows, and in ranked, ratings within both players' windows (canMatch).
 * Casual play ignores ratings: it is where players try decks without stakes.
 */
export function canPair(a: QueueEntry, b: QueueEntry): boolean {
  if (a.mode !== b.mode || a.playerId === b.playerId) return false;
  const powerGap = Math.abs(a.deckPower - b.deckPower);
  if (powerGap > Math.min(deckPowerHalfWidth(a.waitedMs), deckPowerHalfWidth(b.waitedMs))) return false;
  return a.mode === "casual" || canMatch(a, b);
}

/**
 * Pairs a queue snapshot: the longest-waiting player first, each with the allowed partner closest to
 * it (by rating in ranked, by deck power in casual). Greedy, deterministic for a given snapshot, and
 * never pairs a player twice. Entries sorted by the pairing key are scanned outwards from each
 * player only as far as a window can reach, so a tick costs about n log n, not n².
 *
 * @example
 * pairQueue(entries) // [[alice, bob], [carol, dave]]
 */
export function pairQueue(entries: readonly QueueEntry[]): [QueueEntry, QueueEntry][] {
  const pairs: [QueueEntry, QueueEntry][] = [];
  for (const mode of ["ranked", "casual"] as const) {
    const key = (entry: QueueEntry) => (mode === "ranked" ? entry.rating.rating : entry.deckPower);
    const reach = mode === "ranked" ? matchWindowRules.maxHalfWidth : deckPowerWindowRules.maxHalfWidth;
    const sorted = entries.filter((entry) => entry.mode === mode).sort((a, b) => key(a) - key(b) || a.playerId.localeCompare(b.playerId));
    const position = new Map(sorted.map((entry, index) => [entry, index]));
    const taken = new Set<QueueEntry>();
    const byWait = [...sorted].sort((a, b) => b.waitedMs - a.waitedMs || a.playerId.localeCompare(b.playerId));
    for (const entry of byWait) {
      if (taken.has(entry)) continue;
      const at = position.get(entry)!;
      let best: QueueEntry | null = null;
      for (const step of [-1, 1]) {
        for (let i = at + step; i >= 0 && i < sorted.length; i += step) {
          const other = sorted[i]!;
          const distance = Math.abs(key(other) - key(entry));
          if (distance > reach || (best !== null && distance >= Math.abs(key(best) - key(entry)))) break;
          if (!taken.has(other) && canPair(entry, other)) {
            best = other;
            break;
          }
        }
      }
      if (best === null) continue;
      taken.add(entry);
      taken.add(best);
      pairs.push([entry, best]);
    }
  }
  return pairs;
}

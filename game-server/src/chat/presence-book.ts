import { strongestStatus, type PresenceStatus } from "@harvest/core/chat/presence-status";

/** A player whose status, as this instance sees it, is now `status`. */
export type PresenceChange = { playerId: string; status: PresenceStatus };

type RemoteView = { status: PresenceStatus; n: number; seenAtMs: number };

/**
 * Presence as one game-server instance knows it: its own view of each player (set by its connections
 * and the matchmaking service) and the views other instances announced (NOTIFY). A player's status is
 * the strongest view. Remote views carry their origin's counter `n`, so that an older notification
 * arriving late changes nothing, and expire when their origin stops refreshing them (it died).
 * Every mutation returns the players whose status changed. No I/O; the clock is passed in.
 */
export function createPresenceBook({ staleAfterMs }: { staleAfterMs: number }) {
  const local = new Map<string, PresenceStatus>();
  const remote = new Map<string, Map<string, RemoteView>>();

  function statusOf(playerId: string): PresenceStatus {
    const views = [...(remote.get(playerId)?.values() ?? [])].map((view) => view.status);
    const own = local.get(playerId);
    return strongestStatus(own === undefined ? views : [own, ...views]);
  }

  /** Runs `mutate` and reports which of `playerIds` changed status. */
  function changesOf(playerIds: Iterable<string>, mutate: () => void): PresenceChange[] {
    const before = new Map([...new Set(playerIds)].map((id) => [id, statusOf(id)] as const));
    mutate();
    const changes: PresenceChange[] = [];
    for (const [playerId, was] of before) {
      const status = statusOf(playerId);
      if (status !== was) changes.push({ playerId, status });
    }
    return changes;
  }

  function setRemote(origin: string, n: number, playerId: string, status: PresenceStatus, nowMs: number) {
    const views = remote.get(playerId) ?? new Map<string, RemoteView>();
    const previous = views.get(origin);
    if (previous !== undefined && n < previous.n) return;
    views.set(origin, { status, n, seenAtMs: nowMs });
    remote.set(playerId, views);
  }

  function dropRemote(playerId: string, origin: string) {
    const views = remote.get(playerId);
    views?.delete(origin);
    if (views?.size === 0) remote.delete(playerId);
  }

  return {
    statusOf,
    /** This instance's own view of a player; `"offline"` removes it. Returns null when the view did not change. */
    setLocal(playerId: string, status: PresenceStatus): PresenceChange[] | null {
      if ((local.get(playerId) ?? "offline") === status) return null;
      return changesOf([playerId], () => (status === "offline" ? local.delete(playerId) : local.set(playerId, status)));
    },
    /** This instance's own view of a player (offline when it has none). */
    localView: (playerId: string): PresenceStatus => local.get(playerId) ?? "offline",
    /** This instance's views that are not offline, to announce to the others. */
    localEntries(): [string, PresenceStatus][] {
      return [...local];
    },
    /** Another instance's views (one, or a sync of many), numbered `n` by that instance. */
    applyRemote(origin: string, n: number, entries: readonly (readonly [string, PresenceStatus])[], nowMs: number): PresenceChange[] {
      return changesOf(
        entries.map(([playerId]) => playerId),
        () => entries.forEach(([playerId, status]) => setRemote(origin, n, playerId, status, nowMs)),
      );
    },
    /** Forgets every view of an instance that said goodbye. */
    forgetOrigin(origin: string): PresenceChange[] {
      const affected = [...remote].filter(([, views]) => views.has(origin)).map(([playerId]) => playerId);
      return changesOf(affected, () => affected.forEach((playerId) => dropRemote(playerId, origin)));
    },
    /** Forgets remote views not refreshed within `staleAfterMs` (their instance stopped without a goodbye). */
    expire(nowMs: number): PresenceChange[] {
      const stale: [string, string][] = [];
      for (const [playerId, views] of remote) for (const [origin, view] of views) if (view.seenAtMs < nowMs - staleAfterMs) stale.push([playerId, origin]);
      return changesOf(
        stale.map(([playerId]) => playerId),
        () => stale.forEach(([playerId, origin]) => dropRemote(playerId, origin)),
      );
    },
  };
}

export type PresenceBook = ReturnType<typeof createPresenceBook>;

/** What a player is doing, as its friends and recent opponents see it. */
export const presenceStatuses = ["offline", "online", "in_queue", "in_match"] as const;
export type PresenceStatus = (typeof presenceStatuses)[number];

/** What the matchmaking service says of a connected player; null means "just online". */
export type PlayerActivity = "in_queue" | "in_match";

const rank: Record<PresenceStatus, number> = { offline: 0, online: 1, in_queue: 2, in_match: 3 };

/**
 * One status out of several views of a player (one per game-server instance): the most engaged wins
 * (in_match > in_queue > online > offline); no view at all is offline.
 */
export function strongestStatus(statuses: Iterable<PresenceStatus>): PresenceStatus {
  let best: PresenceStatus = "offline";
  for (const status of statuses) if (rank[status] > rank[best]) best = status;
  return best;
}

export function isPresenceStatus(value: unknown): value is PresenceStatus {
  return typeof value === "string" && (presenceStatuses as readonly string[]).includes(value);
}

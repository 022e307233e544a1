/**
 * The numbers of chat and presence, in one place (docs/protocol.md, "Chat and presence", explains them).
 * The service takes them as defaults; tests and deployments may pass others.
 */
export const chatRules = {
  /** Longest message, in Unicode code points after normalisation (a tweet's length). */
  maxTextChars: 280,
  /** Messages one player may send in `rateWindowMs` (on one game-server instance). */
  rateMaxMessages: 5,
  rateWindowMs: 10_000,
  /** Messages one chat.history answer carries at most. */
  historyLimit: 50,
  /** How long messages are kept (and shown in history). */
  retentionMs: 24 * 60 * 60 * 1000,
  /** Players you shared a battle with within this time are your "recent opponents" for presence. */
  recentOpponentsWindowMs: 7 * 24 * 60 * 60 * 1000,
  /** At most this many recent opponents are watched and listed. */
  maxRecentOpponents: 100,
} as const;

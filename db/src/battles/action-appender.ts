import type { Pool } from "pg";
import { createGroupCommit, type GroupCommitOptions } from "../group-commit.ts";
import { appendActionsWithEvents, MAX_ACTIONS_PER_NOTICE, type ActionToAppend } from "./battle-store.ts";

/**
 * The game server's writer of accepted actions: every battle's next action goes through one group
 * commit, so that under load the actions of many battles share one statement, one commit and one
 * NOTIFY (appendActionsWithEvents), and at a quiet moment an action is written alone at once. `append`
 * resolves once its action is committed (true) or found already stored (false); the caller
 * acknowledges only then. A process keeps at most one action per battle pending (it handles a
 * battle's messages one at a time), which appendActionsWithEvents requires; so two statements in
 * flight never hold the same battle, and a battle's actions still commit in order.
 *
 * Two statements in flight, not one: with one, the actions that arrive during a statement wait for
 * it to finish before theirs even starts, and at saturation the machine sat ~15 % idle while every
 * process waited on another (docs/bots.md, "Two statements in flight").
 */
export function createActionAppender(pool: Pool, origin: string, { maxBatch = MAX_ACTIONS_PER_NOTICE, maxInFlight = 2 }: GroupCommitOptions = {}) {
  const commit = createGroupCommit<ActionToAppend, boolean>((actions) => appendActionsWithEvents(pool, actions, origin), {
    maxBatch: Math.min(maxBatch, MAX_ACTIONS_PER_NOTICE),
    maxInFlight,
  });
  return { append: commit.submit, pending: commit.pending };
}

export type ActionAppender = ReturnType<typeof createActionAppender>;

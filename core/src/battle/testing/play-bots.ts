// Drives two practice bots against each other: a source of realistic battles for the tests.
import assert from "node:assert/strict";
import { applyAction } from "../apply-action.ts";
import { chooseBotAction } from "../bot.ts";
import { createBattle, type CreateBattleParams } from "../create-battle.ts";
import type { BattleEvent } from "../events.ts";
import { createRng, rngStateFromSeed } from "../random.ts";
import type { LoggedAction } from "../replay.ts";
import type { BattleState } from "../state.ts";
import { viewFor } from "../views.ts";

export type BotGame = {
  final: BattleState;
  log: LoggedAction[];
  /** The state after creation and after each action, with the events that led to it. */
  steps: { state: BattleState; events: BattleEvent[] }[];
};

/** Plays a whole bot-vs-bot battle, `stepMs` of game time per action. Fails past `maxActions`. */
export function playBotGame(params: CreateBattleParams, botSeed: string, stepMs = 1_000, maxActions = 5_000): BotGame {
  const created = createBattle(params);
  assert.ok(created.ok, created.ok ? "" : created.message);
  const rng = createRng(rngStateFromSeed(botSeed));
  let state = created.state;
  const log: LoggedAction[] = [];
  const steps = [{ state, events: created.events }];
  let nowMs = params.startedAtMs;
  while (state.result === null) {
    assert.ok(log.length < maxActions, "the bots did not finish the battle");
    const playerId = state.players[state.activeIndex].playerId;
    const action = chooseBotAction(viewFor(state, playerId), rng);
    assert.ok(action, "the active bot had no action");
    nowMs += stepMs;
    const result = applyAction(state, action, nowMs);
    assert.ok(result.ok, result.ok ? "" : `bot action refused: ${result.code} ${JSON.stringify(action)}`);
    state = result.state;
    log.push({ action, nowMs });
    steps.push({ state, events: result.events });
  }
  return { final: state, log, steps };
}

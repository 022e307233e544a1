import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { applyAction } from "./apply-action.ts";
import { createBattle, type CreateBattleParams } from "./create-battle.ts";
import { battleErrors } from "./errors.ts";
import { hashState, replayBattle, type LoggedAction } from "./replay.ts";
import type { BattleState } from "./state.ts";
import { checkInvariants, checkSecrecy, freezeState, mustAccept } from "./testing/engine-oracle.ts";
import { deepFreeze } from "./testing/fixtures.ts";
import { actionFor, battle, step, type Step } from "./testing/random-battles.ts";

// Random decks within the card bounds, random (mostly illegal) actions and random time steps are
// thrown at the engine. An independent statement of the rules (legalActions plus the turn and
// timer rules in engine-oracle.ts) says which must be accepted; invariants are checked after every
// step; the accepted actions must replay to the same hash; every 20th state and each last one are
// checked for leaked secrets. Fixed seeds keep the runs reproducible; `npm run fuzz:battles` runs
// many more with a fresh seed (BATTLE_FUZZ_RUNS short battles, a tenth as many long ones).
const shortRuns = Number(process.env.BATTLE_FUZZ_RUNS ?? 9_000);
const longRuns = Math.max(1, Math.round(shortRuns / 9));
const seed = Number(process.env.BATTLE_FUZZ_SEED ?? 42);

/** Runs the steps, checking every one; returns the log of accepted actions and the final state. */
function run(params: CreateBattleParams, steps: readonly Step[], passive = false): { log: LoggedAction[]; final: BattleState } {
  const created = createBattle(params);
  assert.ok(created.ok);
  const initialIds = params.players.map((p) => new Set(p.deck.map((c) => c.id)));
  const refs = [...params.players.flatMap((p) => p.deck.map((c) => c.id)), "hero", "own_hero", "ghost"];
  deepFreeze(params);
  let state = freezeState(created.state);
  let nowMs = params.startedAtMs;
  const log: LoggedAction[] = [];
  checkInvariants(state, initialIds, 0);
  let stepsAfterEnd = 0;
  for (const s of steps) {
    // A few steps after the end prove that nothing more is accepted; the rest would only repeat it.
    if (state.result !== null && ++stepsAfterEnd > 3) break;
    if (s.kind !== "backwards") nowMs += s.dtMs;
    const at = s.kind === "backwards" ? state.updatedAtMs - 1 : nowMs;
    const action = actionFor(state, s, refs, at, passive);
    const expected = mustAccept(state, action, at);
    const result = applyAction(state, action, at);
    assert.equal(result.ok, expected, `${JSON.stringify(action)} at ${at}: ${result.ok ? "accepted" : result.code}`);
    if (!result.ok) {
      assert.ok(Object.hasOwn(battleErrors, result.code));
      continue;
    }
    assert.ok(result.events.length > 0, "an accepted action says what happened");
    state = freezeState(result.state);
    log.push({ action, nowMs: at });
    checkInvariants(state, initialIds, log.length);
    if (log.length % 20 === 0) checkSecrecy(state, result.events);
  }
  checkSecrecy(state, []);
  return { log, final: state };
}

function assertReplays(params: CreateBattleParams, log: LoggedAction[], final: BattleState): void {
  const replayed = replayBattle(params, log);
  assert.ok(replayed.ok);
  assert.equal(hashState(replayed.state), hashState(final));
}

describe("the battle engine under random actions", () => {
  it(`accepts exactly the legal actions, keeps its invariants and replays to the same hash (${shortRuns.toLocaleString("en")} short battles)`, () => {
    fc.assert(
      fc.property(battle, fc.array(step(8, 50), { minLength: 1, maxLength: 45, size: "max" }), (params, steps) => {
        const { log, final } = run(params, steps);
        assertReplays(params, log, final);
      }),
      { seed, numRuns: shortRuns },
    );
  });

  it(`does the same deep into long battles: full boards, burned cards, fatigue, the turn cap (${longRuns.toLocaleString("en")} long battles)`, () => {
    fc.assert(
      fc.property(battle, fc.boolean(), fc.array(step(40, 2_000), { minLength: 400, maxLength: 900, size: "max" }), (params, passive, steps) => {
        const { log, final } = run(params, steps, passive);
        assertReplays(params, log, final);
      }),
      { seed: seed * 101, numRuns: longRuns },
    );
  });
});

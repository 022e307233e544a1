import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compactViewFor } from "./compact-views.ts";
import type { BattleState } from "./state.ts";
import { randomDeck } from "./testing/decks.ts";
import { alice, arranged, battleParams, bob, unit } from "./testing/fixtures.ts";
import { playBotGame } from "./testing/play-bots.ts";
import { applyViewChanges, viewChangesBetween } from "./view-changes.ts";

const games = (count: number) =>
  Array.from({ length: count }, (_, game) =>
    playBotGame(battleParams({ seed: `changes-${game}`, players: [{ playerId: alice, deck: randomDeck("a", `va-${game}`) }, { playerId: bob, deck: randomDeck("b", `vb-${game}`) }] }), `changes-bot-${game}`),
  );

describe("view changes", () => {
  it("hold only the fields that differ, each side apart, lists whole", () => {
    const before = arranged({ board: [{ card: unit("a-wall", { health: 5 }), health: 3, shield: true, summonedOnTurn: 1, lastAttackTurn: 0 }] });
    const [mine, theirs] = before.players;
    const after: BattleState = { ...before, seq: before.seq + 1, players: [{ ...mine, board: [{ ...mine.board[0]!, health: 2 }] }, { ...theirs, health: theirs.health - 4 }] };
    const changes = viewChangesBetween(compactViewFor(before, alice), compactViewFor(after, alice));
    assert.deepEqual(changes, {
      seq: after.seq,
      you: { board: [{ id: "a-wall", health: 2, shield: true, summonedOnTurn: 1, lastAttackTurn: 0 }] },
      opponent: { health: after.players[1].health },
    });
    assert.deepEqual(viewChangesBetween(compactViewFor(after, bob), compactViewFor(after, bob)), {});
  });

  it("rebuild every view of 20 whole battles from the first one, for both players, and are smaller", () => {
    let steps = 0;
    let changesBytes = 0;
    let viewBytes = 0;
    for (const game of games(20)) {
      for (const viewerId of [alice, bob]) {
        let view = compactViewFor(game.steps[0]!.state, viewerId);
        for (const { state } of game.steps.slice(1)) {
          const after = compactViewFor(state, viewerId);
          const changes = viewChangesBetween(view, after);
          const frozen = structuredClone(view);
          const next = applyViewChanges(view, changes);
          assert.deepEqual(view, frozen, "the view changes are applied to is left as it was");
          assert.deepEqual(next, after);
          assert.equal(next.seq, state.seq);
          changesBytes += JSON.stringify(changes).length;
          viewBytes += JSON.stringify(after).length;
          view = next;
          steps += 1;
        }
      }
    }
    assert.ok(steps > 2_000, `${steps} steps checked`);
    assert.ok(changesBytes < viewBytes / 2, `changes ${changesBytes} bytes against whole views ${viewBytes}`);
  });
});

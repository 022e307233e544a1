import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BattleState } from "./state.ts";
import { randomDeck } from "./testing/decks.ts";
import { alice, arranged, battleParams, bob, newBattle } from "./testing/fixtures.ts";
import { playBotGame } from "./testing/play-bots.ts";
import { redactEventFor, viewFor } from "./views.ts";

/** Card ids `viewerId` must not learn: the other player's hand and every deck (order or content). */
function hiddenIdsFor(state: BattleState, viewerId: string): string[] {
  return state.players.flatMap((p) => [...p.deck, ...(p.playerId === viewerId ? [] : p.hand)]).map((c) => c.id);
}

const leaks = (json: string, ids: readonly string[]) => ids.filter((id) => json.includes(JSON.stringify(id)));

describe("what each player sees", () => {
  it("shows the viewer its own hand, the opponent's hand and both decks only as counts", () => {
    const state = arranged();
    const view = viewFor(state, alice);
    const me = state.players.find((p) => p.playerId === alice);
    const them = state.players.find((p) => p.playerId === bob);
    assert.deepEqual(view.you.hand, me?.hand);
    assert.equal(view.opponent.handCount, them?.hand.length);
    assert.equal(view.you.deckCount, me?.deck.length);
    assert.equal("hand" in view.opponent, false);
    assert.equal("deck" in view.you, false);
    assert.equal("rng" in view, false);
  });

  it("hides only the drawn card of a card_drawn event from the other player", () => {
    const event = { type: "card_drawn" as const, playerId: alice, card: newBattle().players[0].deck[0] ?? null };
    assert.deepEqual(redactEventFor(event, alice), event);
    assert.deepEqual(redactEventFor(event, bob), { type: "card_drawn", playerId: alice, card: null });
    const ended = { type: "battle_ended" as const, winnerId: alice, reason: "concede" as const };
    assert.equal(redactEventFor(ended, bob), ended);
  });

  it("refuses to build a view for someone not in the battle", () => {
    assert.throws(() => viewFor(newBattle(), "mallory"), RangeError);
  });

  it("never puts the opponent's hand or any deck card in a view or a redacted event, in 20 whole battles", () => {
    let checked = 0;
    for (let game = 0; game < 20; game++) {
      const params = battleParams({
        seed: `views-${game}`,
        players: [{ playerId: alice, deck: randomDeck("a", `va-${game}`) }, { playerId: bob, deck: randomDeck("b", `vb-${game}`) }],
      });
      const { steps } = playBotGame(params, `views-bot-${game}`);
      const opening = steps[0];
      assert.ok(opening && leaks(JSON.stringify(opening.events), hiddenIdsFor(opening.state, bob)).length > 0, "raw events do hold hidden cards");
      for (const { state, events } of steps) {
        for (const viewerId of [alice, bob]) {
          const hidden = hiddenIdsFor(state, viewerId);
          assert.deepEqual(leaks(JSON.stringify(viewFor(state, viewerId)), hidden), [], `view for ${viewerId}`);
          assert.deepEqual(leaks(JSON.stringify(events.map((e) => redactEventFor(e, viewerId))), hidden), [], `events for ${viewerId}`);
          checked += hidden.length;
        }
        // The search can find ids: the unredacted events and the owner's own view do show hidden cards.
        const own = viewFor(state, alice).you.hand.map((c) => c.id);
        assert.equal(leaks(JSON.stringify(viewFor(state, alice)), own).length, own.length);
      }
    }
    assert.ok(checked > 10_000);
  });
});

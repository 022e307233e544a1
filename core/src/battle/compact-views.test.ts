import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CardDef } from "./cards.ts";
import { cardsInViewOf, cardsShownBy, compactViewFor, expandView, UnknownCardError } from "./compact-views.ts";
import type { BattleState } from "./state.ts";
import { randomDeck } from "./testing/decks.ts";
import { alice, arranged, battleParams, bob, newBattle, unit } from "./testing/fixtures.ts";
import { playBotGame } from "./testing/play-bots.ts";
import { redactEventFor, viewFor } from "./views.ts";

/** Card ids `viewerId` must not learn: the other player's hand and every deck. */
function hiddenIdsFor(state: BattleState, viewerId: string): string[] {
  return state.players.flatMap((p) => [...p.deck, ...(p.playerId === viewerId ? [] : p.hand)]).map((c) => c.id);
}

const leaks = (json: string, ids: readonly string[]) => ids.filter((id) => json.includes(JSON.stringify(id)));
const games = (count: number) =>
  Array.from({ length: count }, (_, game) =>
    playBotGame(battleParams({ seed: `compact-${game}`, players: [{ playerId: alice, deck: randomDeck("a", `ca-${game}`) }, { playerId: bob, deck: randomDeck("b", `cb-${game}`) }] }), `compact-bot-${game}`),
  );

describe("views with cards by id", () => {
  it("name every card by id, and expand back to the full view", () => {
    const state = arranged({ board: [{ card: unit("a-wall", { health: 5 }), health: 3, shield: true, summonedOnTurn: 1, lastAttackTurn: 0 }], discard: [unit("a-old")] });
    const compact = compactViewFor(state, alice);
    assert.deepEqual(compact.you.hand, state.players[0].hand.map((card) => card.id));
    assert.deepEqual(compact.you.board, [{ id: "a-wall", health: 3, shield: true, summonedOnTurn: 1, lastAttackTurn: 0 }]);
    assert.deepEqual(compact.you.discard, ["a-old"]);
    const cards = new Map(cardsInViewOf(state, alice).map((card) => [card.id, card]));
    assert.deepEqual(expandView(compact, cards), viewFor(state, alice));
  });

  it("let a client that keeps the snapshot's cards and the events' cards read every later view, in 20 whole battles", () => {
    let views = 0;
    for (const { steps } of games(20)) {
      // A client may join at any step (a match start, or a reconnect mid-battle).
      for (const joinAt of [0, Math.floor(steps.length / 2)]) {
        for (const viewerId of [alice, bob]) {
          const snapshot = steps[joinAt]!.state;
          const cards = new Map<string, CardDef>(cardsInViewOf(snapshot, viewerId).map((card) => [card.id, card]));
          assert.deepEqual(expandView(compactViewFor(snapshot, viewerId), cards), viewFor(snapshot, viewerId));
          for (const { state, events } of steps.slice(joinAt + 1)) {
            for (const card of cardsShownBy(events.map((event) => redactEventFor(event, viewerId)))) cards.set(card.id, card);
            assert.deepEqual(expandView(compactViewFor(state, viewerId), cards), viewFor(state, viewerId));
            views += 1;
          }
        }
      }
    }
    assert.ok(views > 2_000, `${views} views checked`);
  });

  it("never carry the opponent's hand or any deck card, in a view or a snapshot's cards", () => {
    let checked = 0;
    for (const { steps } of games(10)) {
      for (const { state } of steps) {
        for (const viewerId of [alice, bob]) {
          const hidden = hiddenIdsFor(state, viewerId);
          assert.deepEqual(leaks(JSON.stringify({ view: compactViewFor(state, viewerId), cards: cardsInViewOf(state, viewerId) }), hidden), [], `for ${viewerId}`);
          checked += hidden.length;
        }
      }
    }
    assert.ok(checked > 5_000);
  });

  it("take only whole cards from events: the opponent's draw shows none", () => {
    const card = unit("a-1");
    const events = [
      { type: "card_drawn" as const, playerId: alice, card },
      { type: "card_drawn" as const, playerId: bob, card: null },
      { type: "card_burned" as const, playerId: bob, card: unit("b-9") },
      { type: "turn_ended" as const, playerId: alice, turn: 1, reason: "end_turn" as const },
    ];
    assert.deepEqual(cardsShownBy(events).map((c) => c.id), ["a-1", "b-9"]);
  });

  it("say which card is missing when a client lacks a definition, and refuse a stranger", () => {
    const state = newBattle();
    const compact = compactViewFor(state, alice);
    const missing = compact.you.hand[0]!;
    const cards = new Map(cardsInViewOf(state, alice).filter((card) => card.id !== missing).map((card) => [card.id, card]));
    assert.throws(() => expandView(compact, cards), (error: unknown) => error instanceof UnknownCardError && error.cardId === missing);
    assert.throws(() => compactViewFor(state, "mallory"), RangeError);
    assert.throws(() => cardsInViewOf(state, "mallory"), RangeError);
  });
});

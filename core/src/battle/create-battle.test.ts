import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBattle } from "./create-battle.ts";
import { battleRules } from "./rules.ts";
import { alice, battleParams, bob, deepFreeze, eventsOf, newBattle, playerOf, t0, turnTimeMs, unit, vanillaDeck } from "./testing/fixtures.ts";

const refusal = (params: ReturnType<typeof battleParams>) => {
  const created = createBattle(params);
  return created.ok ? "accepted" : created.code;
};

describe("createBattle", () => {
  it("is deterministic: the same parameters give the same state and events", () => {
    assert.deepEqual(createBattle(battleParams()), createBattle(battleParams()));
  });

  it("shuffles differently for different seeds", () => {
    const decks = (seed: string) => newBattle({ seed }).players.map((p) => [...p.hand, ...p.deck].map((c) => c.id));
    assert.notDeepEqual(decks("seed-1"), decks("seed-2"));
  });

  it("lets the seed choose who goes first, and both seats go first for some seed", () => {
    const firsts = new Set(Array.from({ length: 20 }, (_, i) => newBattle({ seed: `s${i}` }).activeIndex));
    assert.deepEqual([...firsts].sort(), [0, 1]);
  });

  it("deals 3 cards to the first player and 4 to the second, then starts turn 1 with a draw and 1 mana", () => {
    const state = newBattle();
    const first = state.players[state.activeIndex];
    const second = state.players[state.activeIndex === 0 ? 1 : 0];
    assert.equal(state.turn, 1);
    assert.deepEqual([first.hand.length, first.deck.length, first.mana, first.maxMana], [4, 16, 1, 1]);
    assert.deepEqual([second.hand.length, second.deck.length, second.mana, second.maxMana], [4, 16, 0, 0]);
    for (const player of state.players) assert.equal(player.health, battleRules.startingHealth);
  });

  it("sets the first deadline from the start time and the turn time", () => {
    const state = newBattle();
    assert.equal(state.turnStartedAtMs, t0);
    assert.equal(state.turnDeadlineMs, t0 + turnTimeMs);
    assert.equal(state.result, null);
    assert.equal(state.seq, 0);
  });

  it("emits battle_started, the opening draws and turn_started", () => {
    const created = createBattle(battleParams());
    assert.ok(created.ok);
    assert.equal(created.events[0]?.type, "battle_started");
    assert.equal(eventsOf(created.events, "card_drawn").length, 3 + 4 + 1);
    assert.equal(eventsOf(created.events, "turn_started").length, 1);
  });

  it("does not touch the decks it is given", () => {
    const params = deepFreeze(battleParams());
    assert.ok(createBattle(params).ok);
  });

  it("keeps every card of each deck, once", () => {
    const state = newBattle();
    const ids = [...playerOf(state, alice).hand, ...playerOf(state, alice).deck].map((c) => c.id).sort();
    assert.deepEqual(ids, vanillaDeck("a").map((c) => c.id).sort());
  });

  it("refuses decks that break the deck rules with INVALID_DECK", () => {
    const withDeck = (deck: ReturnType<typeof vanillaDeck>) => battleParams({ players: [{ playerId: alice, deck }, { playerId: bob, deck: vanillaDeck("b") }] });
    const four = vanillaDeck("a", 20).map((card, i) => (i < 4 ? { ...card, cardKey: "same" } : card));
    const cases = {
      "19 cards": vanillaDeck("a", 19),
      "31 cards": vanillaDeck("a", 31),
      "4 copies": four,
      "a duplicate id": [...vanillaDeck("a", 19), unit("a-0")],
      "a reserved id": [...vanillaDeck("a", 19), unit("hero")],
      "attack too high": [...vanillaDeck("a", 19), unit("x", { attack: 13 })],
      "health 0": [...vanillaDeck("a", 19), unit("x", { health: 0 })],
      "a spell with stats": [...vanillaDeck("a", 19), { ...unit("x"), kind: "spell" as const }],
      "a unit with a spell effect": [...vanillaDeck("a", 19), unit("x", { abilities: [{ kind: "draw", amount: 1 }] })],
    };
    for (const [name, deck] of Object.entries(cases)) assert.equal(refusal(withDeck(deck)), "INVALID_DECK", name);
    assert.equal(refusal(withDeck(vanillaDeck("a", 30))), "accepted");
  });

  it("refuses bad battle parameters with INVALID_BATTLE", () => {
    const cases = {
      "the same player twice": battleParams({ players: [{ playerId: alice, deck: vanillaDeck("a") }, { playerId: alice, deck: vanillaDeck("b") }] }),
      "a card in both decks": battleParams({ players: [{ playerId: alice, deck: vanillaDeck("a") }, { playerId: bob, deck: vanillaDeck("a") }] }),
      "an empty seed": battleParams({ seed: "" }),
      "a turn time too short": battleParams({ turnTimeMs: 10 }),
      "a start time that is not finite": battleParams({ startedAtMs: Number.NaN }),
    };
    for (const [name, params] of Object.entries(cases)) assert.equal(refusal(params), "INVALID_BATTLE", name);
  });
});

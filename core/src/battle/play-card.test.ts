import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { battleRules } from "./rules.ts";
import { accept, alice, arranged, bob, eventsOf, onBoard, playerOf, refuse, spell, unit, vanillaDeck } from "./testing/fixtures.ts";

const ogre = unit("ogre", { cost: 4, attack: 4, health: 5 });
const bolt = spell("bolt", [{ kind: "damage", amount: 3 }], 2);
const salve = spell("salve", [{ kind: "heal", amount: 4 }], 1);
const insight = spell("insight", [{ kind: "draw", amount: 2 }], 3);
const play = (cardId: string, target?: string) => (target === undefined ? { type: "play_card" as const, playerId: alice, cardId } : { type: "play_card" as const, playerId: alice, cardId, target });

describe("playing a unit", () => {
  it("spends its cost and puts it on the board, ready from the next own turn", () => {
    const { state, events } = accept(arranged({ hand: [ogre], mana: 5 }), play("ogre"));
    const me = playerOf(state, alice);
    assert.equal(me.mana, 1);
    assert.deepEqual(me.hand, []);
    assert.deepEqual(me.board.map((u) => [u.card.id, u.health, u.summonedOnTurn]), [["ogre", 5, 3]]);
    assert.deepEqual(eventsOf(events, "card_played")[0], { type: "card_played", playerId: alice, card: ogre, target: null, manaLeft: 1 });
  });

  it("refuses a card that is not in the hand with CARD_NOT_IN_HAND", () => {
    refuse(arranged({ hand: [], mana: 10 }), play("ogre"), "CARD_NOT_IN_HAND");
    refuse(arranged({ mana: 10 }, { hand: [ogre] }), play("ogre"), "CARD_NOT_IN_HAND");
  });

  it("refuses a card dearer than the mana left with NOT_ENOUGH_MANA", () => {
    refuse(arranged({ hand: [ogre], mana: 3 }), play("ogre"), "NOT_ENOUGH_MANA");
  });

  it("refuses an eighth unit with BOARD_FULL", () => {
    const board = vanillaDeck("x", battleRules.maxBoardSize).map((card) => onBoard(card));
    refuse(arranged({ hand: [ogre], mana: 10, board }), play("ogre"), "BOARD_FULL");
  });

  it("refuses a unit played at a target with INVALID_TARGET", () => {
    refuse(arranged({ hand: [ogre], mana: 10 }), play("ogre", "hero"), "INVALID_TARGET");
  });

  it("gives a shield unit its shield", () => {
    const guard = unit("guard", { abilities: [{ kind: "shield" }] });
    const { state } = accept(arranged({ hand: [guard], mana: 1 }), play("guard"));
    assert.equal(playerOf(state, alice).board[0]?.shield, true);
  });
});

describe("playing a spell", () => {
  it("damages the enemy hero and goes to the discard", () => {
    const { state, events } = accept(arranged({ hand: [bolt], mana: 2 }), play("bolt", "hero"));
    assert.equal(playerOf(state, bob).health, 27);
    assert.deepEqual(playerOf(state, alice).discard, [bolt]);
    assert.deepEqual(eventsOf(events, "damage_dealt")[0], { type: "damage_dealt", target: { playerId: bob, unitId: null }, amount: 3, cause: "spell", sourceId: "bolt" });
  });

  it("kills a unit it damages enough, which goes to its owner's discard", () => {
    const rat = unit("rat", { health: 3 });
    const { state, events } = accept(arranged({ hand: [bolt], mana: 2 }, { board: [onBoard(rat)] }), play("bolt", "rat"));
    assert.deepEqual(playerOf(state, bob).board, []);
    assert.deepEqual(playerOf(state, bob).discard, [rat]);
    assert.deepEqual(eventsOf(events, "unit_died"), [{ type: "unit_died", playerId: bob, unitId: "rat", cardKey: "rat" }]);
  });

  it("breaks a shield instead of dealing damage", () => {
    const guard = unit("guard", { health: 2, abilities: [{ kind: "shield" }] });
    const { state, events } = accept(arranged({ hand: [bolt], mana: 2 }, { board: [onBoard(guard)] }), play("bolt", "guard"));
    assert.deepEqual(playerOf(state, bob).board.map((u) => [u.health, u.shield]), [[2, false]]);
    assert.equal(eventsOf(events, "shield_broken").length, 1);
    assert.equal(eventsOf(events, "damage_dealt").length, 0);
  });

  it("refuses a damage spell without a target, at its caster's hero, or at nothing with INVALID_TARGET", () => {
    const state = arranged({ hand: [bolt], mana: 2 });
    refuse(state, play("bolt"), "INVALID_TARGET");
    refuse(state, play("bolt", "own_hero"), "INVALID_TARGET");
    refuse(state, play("bolt", "nobody"), "INVALID_TARGET");
  });

  it("heals its caster's hero by default, never above the starting health", () => {
    const { state, events } = accept(arranged({ hand: [salve], mana: 1, health: 28 }), play("salve"));
    assert.equal(playerOf(state, alice).health, battleRules.startingHealth);
    assert.deepEqual(eventsOf(events, "healed")[0], { type: "healed", target: { playerId: alice, unitId: null }, amount: 2 });
  });

  it("heals an own unit up to its card's health", () => {
    const ogreOnBoard = onBoard(ogre, { health: 1 });
    const { state } = accept(arranged({ hand: [salve], mana: 1, board: [ogreOnBoard] }), play("salve", "ogre"));
    assert.equal(playerOf(state, alice).board[0]?.health, 5);
  });

  it("refuses to heal the enemy with INVALID_TARGET", () => {
    const state = arranged({ hand: [salve], mana: 1 }, { board: [onBoard(ogre, { health: 1 })] });
    refuse(state, play("salve", "hero"), "INVALID_TARGET");
    refuse(state, play("salve", "ogre"), "INVALID_TARGET");
  });

  it("draws cards, and refuses a target for a spell that takes none", () => {
    const base = arranged({ hand: [insight], mana: 3 });
    refuse(base, play("insight", "hero"), "INVALID_TARGET");
    const { state } = accept(base, play("insight"));
    assert.equal(playerOf(state, alice).hand.length, 2);
    assert.equal(playerOf(state, alice).deck.length, playerOf(base, alice).deck.length - 2);
  });

  it("resolves effects in the card's order: damage, then a draw that burns into a full hand", () => {
    const hand = [spell("blast", [{ kind: "damage", amount: 1 }, { kind: "draw", amount: 1 }]), ...vanillaDeck("h", 10).slice(0, 10)];
    const { state, events } = accept(arranged({ hand, mana: 1 }), play("blast", "hero"));
    assert.deepEqual(events.map((e) => e.type), ["card_played", "damage_dealt", "card_burned"]);
    assert.equal(playerOf(state, alice).hand.length, 10);
    assert.equal(playerOf(state, alice).burned.length, 1);
  });
});

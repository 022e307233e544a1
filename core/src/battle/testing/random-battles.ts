// Random material for the engine's property tests: battles with random decks within the card
// bounds, and steps that become legal moves or random (mostly illegal) actions against whatever
// state they meet.
import fc from "fast-check";
import type { BattleAction } from "../actions.ts";
import type { Ability, CardDef } from "../cards.ts";
import type { CreateBattleParams } from "../create-battle.ts";
import { legalActions } from "../legal-actions.ts";
import { battleRules } from "../rules.ts";
import type { BattleState } from "../state.ts";
import { viewFor } from "../views.ts";

export const turnTimeMs = 20_000;
export const players = ["p1", "p2"] as const;

const unitAbilities = fc.constantFrom<Ability[]>([], [], [], [{ kind: "taunt" }], [{ kind: "charge" }], [{ kind: "shield" }], [{ kind: "taunt" }, { kind: "shield" }], [{ kind: "charge" }, { kind: "shield" }]);
const amount = fc.integer({ min: 1, max: battleRules.maxAbilityAmount });
const spellAbilities = fc.oneof(
  amount.map((n): Ability[] => [{ kind: "damage", amount: n }]),
  amount.map((n): Ability[] => [{ kind: "heal", amount: n }]),
  fc.integer({ min: 1, max: 3 }).map((n): Ability[] => [{ kind: "draw", amount: n }]),
  fc.tuple(amount, fc.integer({ min: 1, max: 2 })).map(([d, n]): Ability[] => [{ kind: "damage", amount: d }, { kind: "draw", amount: n }]),
);
const cost = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: battleRules.maxCost }) });
const cardSpec = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("unit" as const), cost, attack: fc.integer({ min: 0, max: battleRules.maxAttack }), health: fc.integer({ min: 1, max: battleRules.maxUnitHealth }), abilities: unitAbilities }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("spell" as const), cost, attack: fc.constant(0), health: fc.constant(0), abilities: spellAbilities }) },
);
const deck = (prefix: string) =>
  fc.array(cardSpec, { minLength: battleRules.minDeckSize, maxLength: battleRules.maxDeckSize }).map((specs): CardDef[] =>
    specs.map((spec, i) => ({ id: `${prefix}:${i}:card`, cardKey: `${prefix}-key-${Math.floor(i / 3)}`, ...spec })),
  );
export const battle = fc.record({ seed: fc.string({ minLength: 1, maxLength: 12 }), deck1: deck("p1"), deck2: deck("p2") }).map(
  ({ seed, deck1, deck2 }): CreateBattleParams => ({ battleId: "prop", seed, players: [{ playerId: "p1", deck: deck1 }, { playerId: "p2", deck: deck2 }], startedAtMs: 0, turnTimeMs }),
);

/** Raw step material, turned into an action against the state it meets. */
export type Step =
  | { kind: "legal"; pick: number; dtMs: number }
  | { kind: "random"; type: string; who: number; ref: number; target: number; dtMs: number }
  | { kind: "backwards" };
const dtMs = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 0, max: 2_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 * turnTimeMs }) });
const randomTypes = ["play_card", "attack", "end_turn", "turn_timeout", "cheat"] as const;
/** Steps with `legalWeight` legal moves to 10 random ones; one random action in `1 / concedeRate` concedes. */
export const step = (legalWeight: number, concedeRate: number) =>
  fc.oneof(
    { weight: legalWeight, arbitrary: fc.record({ kind: fc.constant("legal" as const), pick: fc.nat(), dtMs }) },
    {
      weight: 10,
      arbitrary: fc.record({
        kind: fc.constant("random" as const),
        type: fc.oneof({ weight: concedeRate - 1, arbitrary: fc.constantFrom(...randomTypes, "play_card", "attack") }, { weight: 1, arbitrary: fc.constant("concede") }),
        who: fc.integer({ min: 0, max: 5 }),
        ref: fc.nat(),
        target: fc.nat(),
        dtMs,
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: "backwards" as const }) },
  );

/** Ids worth aiming at now: the active hand, both boards, the other hand, the heroes. */
function relevantRefs(state: BattleState): string[] {
  const [a, b] = state.activeIndex === 0 ? state.players : [state.players[1], state.players[0]];
  return [...a.hand, ...a.board.map((u) => u.card), ...b.board.map((u) => u.card), ...b.hand].map((c) => c.id).concat("hero", "own_hero");
}

/**
 * The action a step makes: a legal move (a timeout once the deadline passed; never an attack in a
 * passive battle, so that battles also run into full boards, fatigue and the turn cap) or a random
 * one aimed at relevant or any ids.
 */
export function actionFor(state: BattleState, s: Step, allRefs: readonly string[], nowMs: number, passive: boolean): BattleAction {
  const active = state.players[state.activeIndex].playerId;
  if (s.kind === "backwards") return { type: "end_turn", playerId: active };
  if (s.kind === "legal") {
    if (nowMs >= state.turnDeadlineMs) return { type: "turn_timeout", playerId: active };
    const options = legalActions(viewFor(state, active)).filter((a) => !passive || a.type !== "attack");
    return options[s.pick % Math.max(1, options.length)] ?? { type: "end_turn", playerId: active };
  }
  const playerId = [...players, "mallory", active, active, active][s.who] ?? active;
  const pool = s.ref % 2 === 0 ? relevantRefs(state) : allRefs;
  const ref = pool[(s.ref >> 1) % pool.length] ?? "ghost";
  const targets = s.target % 2 === 0 ? relevantRefs(state) : allRefs;
  const target = s.target % 3 === 0 ? undefined : targets[(s.target >> 1) % targets.length];
  if (s.type === "play_card") return target === undefined ? { type: "play_card", playerId, cardId: ref } : { type: "play_card", playerId, cardId: ref, target };
  if (s.type === "attack") return { type: "attack", playerId, attackerId: ref, target: target ?? "hero" };
  if (s.type === "cheat") return { type: "steal_card", playerId } as unknown as BattleAction;
  return { type: s.type, playerId } as BattleAction;
}

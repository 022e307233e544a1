// Varied valid decks from a seed, for bot games and hidden-information tests.
import type { Ability, CardDef } from "../cards.ts";
import { createRng, rngStateFromSeed } from "../random.ts";

const unitKeywords: Ability[][] = [[], [], [], [{ kind: "taunt" }], [{ kind: "charge" }], [{ kind: "shield" }], [{ kind: "taunt" }, { kind: "shield" }]];
const spellEffects = (n: number): Ability[][] => [
  [{ kind: "damage", amount: n + 1 }],
  [{ kind: "heal", amount: n + 2 }],
  [{ kind: "draw", amount: Math.min(2, n) }],
  [{ kind: "damage", amount: n }, { kind: "draw", amount: 1 }],
];

/** A valid deck of `size` (20..30) cards, ids `${prefix}:${i}:card` so no id is a substring of another. */
export function randomDeck(prefix: string, seed: string, size = 25): CardDef[] {
  const rng = createRng(rngStateFromSeed(seed));
  return Array.from({ length: size }, (_, i) => {
    const cost = rng.nextInt(8);
    const base = { id: `${prefix}:${i}:card`, cardKey: `${prefix}-key-${Math.floor(i / 3)}`, cost };
    if (rng.nextInt(4) === 0) {
      const effects = spellEffects(Math.max(1, Math.ceil(cost / 2)));
      return { ...base, kind: "spell", attack: 0, health: 0, abilities: effects[rng.nextInt(effects.length)] ?? [] };
    }
    return { ...base, kind: "unit", attack: rng.nextInt(cost + 2), health: 1 + rng.nextInt(cost + 2), abilities: unitKeywords[rng.nextInt(unitKeywords.length)] ?? [] };
  });
}

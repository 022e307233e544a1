import type { Ability, CardDef } from "@harvest/core/battle/cards";

type Template = { key: string; kind: "unit" | "spell"; cost: number; attack: number; health: number; abilities: Ability[] };

// Ten templates, two copies each: 20 cards, a curve from 1 to 5 mana with every keyword once.
const templates: readonly Template[] = [
  { key: "sprout", kind: "unit", cost: 1, attack: 1, health: 2, abilities: [] },
  { key: "scarecrow", kind: "unit", cost: 1, attack: 0, health: 3, abilities: [{ kind: "taunt" }] },
  { key: "field-mouse", kind: "unit", cost: 2, attack: 2, health: 1, abilities: [{ kind: "charge" }] },
  { key: "hedgehog", kind: "unit", cost: 2, attack: 2, health: 2, abilities: [{ kind: "shield" }] },
  { key: "ox", kind: "unit", cost: 3, attack: 3, health: 4, abilities: [] },
  { key: "beehive", kind: "unit", cost: 4, attack: 4, health: 3, abilities: [] },
  { key: "tractor", kind: "unit", cost: 5, attack: 5, health: 5, abilities: [{ kind: "taunt" }] },
  { key: "hailstorm", kind: "spell", cost: 2, attack: 0, health: 0, abilities: [{ kind: "damage", amount: 3 }] },
  { key: "rain", kind: "spell", cost: 1, attack: 0, health: 0, abilities: [{ kind: "heal", amount: 4 }] },
  { key: "almanac", kind: "spell", cost: 2, attack: 0, health: 0, abilities: [{ kind: "draw", amount: 2 }] },
];

/**
 * The fixed starter deck used in practice battles until players bring their crafted cards. Card ids
 * are `${owner}.${key}.${copy}` (owner is a short tag such as "you" or "bot"), so the two decks of a
 * battle never share an id.
 */
export function starterDeck(owner: string): CardDef[] {
  return templates.flatMap((t) => [1, 2].map((copy) => ({ id: `${owner}.${t.key}.${copy}`, cardKey: `starter-${t.key}`, kind: t.kind, cost: t.cost, attack: t.attack, health: t.health, abilities: t.abilities })));
}

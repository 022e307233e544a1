import type { CardDef } from "@harvest/core/battle/cards";
import { STARTER_COPIES, starterCardKey, starterTemplates } from "@harvest/core/battle/starter-cards";

/**
 * The fixed starter deck used in practice battles until players bring their crafted cards. Card ids
 * are `${owner}.${key}.${copy}` (owner is a short tag such as "you" or "bot"), so the two decks of a
 * battle never share an id.
 */
export function starterDeck(owner: string): CardDef[] {
  return starterTemplates.flatMap((t) =>
    Array.from({ length: STARTER_COPIES }, (_, i) => ({ id: `${owner}.${t.key}.${i + 1}`, cardKey: starterCardKey(t.key), kind: t.kind, cost: t.cost, attack: t.attack, health: t.health, abilities: t.abilities })),
  );
}

import { battleRules, reservedTargetWords } from "./rules.ts";

/**
 * The closed set of abilities. Keywords belong to units; effects with an amount belong to spells.
 * `targeted` says whether the effect needs (damage) or may take (heal) a target.
 */
export const abilityKinds = {
  taunt: { for: "unit", amount: false, targeted: false },
  charge: { for: "unit", amount: false, targeted: false },
  shield: { for: "unit", amount: false, targeted: false },
  damage: { for: "spell", amount: true, targeted: true },
  heal: { for: "spell", amount: true, targeted: true },
  draw: { for: "spell", amount: true, targeted: false },
} as const;

export type AbilityKind = keyof typeof abilityKinds;

/**
 * - taunt: enemy units must attack this unit (or another taunt) before anything else.
 * - charge: may attack on the turn it is played.
 * - shield: the first damage it takes is absorbed, then the shield is gone.
 * - damage N: deals N to an enemy hero or any unit (target required).
 * - heal N: restores up to N health to the caster's hero or one of its units (default: its hero).
 * - draw N: the caster draws N cards.
 */
export type Ability =
  | { readonly kind: "taunt" }
  | { readonly kind: "charge" }
  | { readonly kind: "shield" }
  | { readonly kind: "damage"; readonly amount: number }
  | { readonly kind: "heal"; readonly amount: number }
  | { readonly kind: "draw"; readonly amount: number };

export type CardKind = "unit" | "spell";

/**
 * One card instance in a deck: `id` is unique in the battle (it becomes the unit id on the board),
 * `cardKey` names its recipe or template. Crafted cards of one key may differ in stats. Spells have
 * attack 0 and health 0.
 */
export type CardDef = {
  readonly id: string;
  readonly cardKey: string;
  readonly kind: CardKind;
  readonly cost: number;
  readonly attack: number;
  readonly health: number;
  readonly abilities: readonly Ability[];
};

/** Whether the card has a keyword or effect of `kind`. */
export function hasAbility(card: CardDef, kind: AbilityKind): boolean {
  return card.abilities.some((ability) => ability.kind === kind);
}

/** The amount of the card's `kind` effect, or 0 when it has none. */
export function abilityAmount(card: CardDef, kind: "damage" | "heal" | "draw"): number {
  for (const ability of card.abilities) if (ability.kind === kind) return ability.amount;
  return 0;
}

/** The reason `card` breaks the card rules, or null when it is valid. */
export function cardProblem(card: CardDef): string | null {
  const r = battleRules;
  if (typeof card.id !== "string" || card.id.length === 0 || card.id.length > r.maxCardIdLength) return "bad card id";
  if ((reservedTargetWords as readonly string[]).includes(card.id)) return `card id "${card.id}" is reserved`;
  if (typeof card.cardKey !== "string" || card.cardKey.length === 0) return `card ${card.id}: bad cardKey`;
  if (card.kind !== "unit" && card.kind !== "spell") return `card ${card.id}: bad kind`;
  if (!isIntIn(card.cost, 0, r.maxCost)) return `card ${card.id}: cost out of bounds`;
  if (card.kind === "unit" && (!isIntIn(card.attack, 0, r.maxAttack) || !isIntIn(card.health, 1, r.maxUnitHealth))) {
    return `card ${card.id}: unit stats out of bounds`;
  }
  if (card.kind === "spell" && (card.attack !== 0 || card.health !== 0)) return `card ${card.id}: a spell has no stats`;
  return abilitiesProblem(card);
}

function abilitiesProblem(card: CardDef): string | null {
  if (!Array.isArray(card.abilities as unknown)) return `card ${card.id}: bad abilities`;
  const seen = new Set<string>();
  for (const ability of card.abilities) {
    if (!Object.hasOwn(abilityKinds, ability.kind)) return `card ${card.id}: unknown ability`;
    const rule = abilityKinds[ability.kind];
    if (rule.for !== card.kind) return `card ${card.id}: ${ability.kind} is not for a ${card.kind}`;
    if (seen.has(ability.kind)) return `card ${card.id}: ${ability.kind} twice`;
    seen.add(ability.kind);
    if ("amount" in ability && !isIntIn(ability.amount, 1, battleRules.maxAbilityAmount)) {
      return `card ${card.id}: ${ability.kind} amount out of bounds`;
    }
  }
  // One target per play: a spell may not both damage and heal.
  if (seen.has("damage") && seen.has("heal")) return `card ${card.id}: a spell has at most one targeted effect`;
  if (card.kind === "spell" && seen.size === 0) return `card ${card.id}: a spell needs an effect`;
  return null;
}

function isIntIn(x: unknown, min: number, max: number): boolean {
  return typeof x === "number" && Number.isInteger(x) && x >= min && x <= max;
}

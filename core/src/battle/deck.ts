import { cardProblem, type CardDef } from "./cards.ts";
import { reject, type Rejection } from "./errors.ts";
import { battleRules } from "./rules.ts";

/**
 * Checks a deck against the deck rules: 20 to 30 valid cards, unique ids, at most 3 copies of a
 * cardKey. Whether the player may use each card (owns or rents it) is the caller's question.
 *
 * @example
 * const checked = validateDeck(cards);
 * if (!checked.ok) return checked; // { ok: false, code: "INVALID_DECK", message }
 */
export function validateDeck(deck: readonly CardDef[]): { ok: true } | Rejection {
  const r = battleRules;
  if (!Array.isArray(deck as unknown) || deck.length < r.minDeckSize || deck.length > r.maxDeckSize) {
    return reject("INVALID_DECK", `a deck has ${r.minDeckSize} to ${r.maxDeckSize} cards`);
  }
  const ids = new Set<string>();
  const copies = new Map<string, number>();
  for (const card of deck) {
    const problem = cardProblem(card);
    if (problem !== null) return reject("INVALID_DECK", problem);
    if (ids.has(card.id)) return reject("INVALID_DECK", `card id ${card.id} appears twice`);
    ids.add(card.id);
    const count = (copies.get(card.cardKey) ?? 0) + 1;
    if (count > r.maxCopiesPerCardKey) {
      return reject("INVALID_DECK", `at most ${r.maxCopiesPerCardKey} copies of ${card.cardKey}`);
    }
    copies.set(card.cardKey, count);
  }
  return { ok: true };
}

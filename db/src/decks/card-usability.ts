import type { OwnershipReader } from "../ownership/ownership-reader.ts";
import type { DeckCardRow } from "./deck-store.ts";

/** Who asks: the player and its wallet. */
export type CardUser = { playerId: string; address: string };

/**
 * The ids among `cardIds` that `user` may not use now, in the order given (each once). A card is
 * usable when it is off-chain (`offchain` or `voucher_issued`) and held by the player, or minted and
 * among `usableMinted`: the card tokens the ownership module says the wallet may use now (owned and
 * not rented out, or rented). A card that does not exist is not usable.
 *
 * @example
 * unusableCardIds(["1", "2"], rows, "7", new Set(["2"])) // ["1"] when card 1 is held by another player
 */
export function unusableCardIds(cardIds: readonly string[], rows: readonly Pick<DeckCardRow, "id" | "holder_id" | "status">[], playerId: string, usableMinted: ReadonlySet<string>): string[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const refused = new Set<string>();
  for (const id of cardIds) {
    const row = byId.get(id);
    const usable = row !== undefined && (row.status === "minted" ? usableMinted.has(id) : row.holder_id === playerId);
    if (!usable) refused.add(id);
  }
  return [...refused];
}

/**
 * The minted card ids the wallet may use now, asked of the ownership module only when some card is
 * minted (an indexer that is not ready then throws IndexerNotReadyError: never a guess).
 */
export async function usableMintedCardIds(ownership: Pick<OwnershipReader, "usableTokens">, address: string, rows: readonly Pick<DeckCardRow, "status">[]): Promise<Set<string>> {
  if (!rows.some((row) => row.status === "minted")) return new Set();
  const { value } = await ownership.usableTokens(address);
  return new Set(value.filter((token) => token.collection === "card").map((token) => token.tokenId.toString()));
}

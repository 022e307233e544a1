/** Why a wallet may use a token now: it owns it (and has not rented it out), or it rents it. */
export type UseRight = "owner" | "renter";

/** The on-chain facts about one token that decide who may use it, as the indexer has them. */
export type TokenHolding = {
  owner: string;
  /** The ERC-4907 user, or null when there is none. */
  user: string | null;
  /** When the user's rental ends, in UNIX seconds (inclusive, as the contract's `userOf`). */
  userExpires: bigint | null;
};

/** Whether the token has a user whose rental has not ended at `nowSeconds`. */
export function isRentedOut(holding: TokenHolding, nowSeconds: bigint): boolean {
  return holding.user !== null && holding.userExpires !== null && holding.userExpires >= nowSeconds;
}

/**
 * Decides whether `wallet` may use the token at `nowSeconds`: the owner may, unless the token is
 * rented out to someone else; the current user may until its rental ends. Addresses compare
 * case-insensitively.
 *
 * @example
 * useRightOf("0xabc…", { owner: "0xabc…", user: null, userExpires: null }, 1_700_000_000n) // "owner"
 */
export function useRightOf(wallet: string, holding: TokenHolding, nowSeconds: bigint): UseRight | null {
  const who = wallet.toLowerCase();
  const rented = isRentedOut(holding, nowSeconds);
  if (rented && holding.user?.toLowerCase() === who) return holding.owner.toLowerCase() === who ? "owner" : "renter";
  if (holding.owner.toLowerCase() === who && !rented) return "owner";
  return null;
}

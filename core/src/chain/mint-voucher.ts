import type { Address, Hex, TypedDataDomain } from "viem";

/** A card mint voucher, as the HarvestCard contract's `MintVoucher` struct. */
export type MintVoucher = {
  cardId: bigint;
  recipeId: bigint;
  attributesHash: Hex;
  crafter: Address;
  recipient: Address;
  nonce: bigint;
  deadline: bigint;
};

/** The EIP-712 types of a voucher; the field order is the contract's. */
export const mintVoucherTypes = {
  MintVoucher: [
    { name: "cardId", type: "uint256" },
    { name: "recipeId", type: "uint64" },
    { name: "attributesHash", type: "bytes32" },
    { name: "crafter", type: "address" },
    { name: "recipient", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The EIP-712 domain of the card contract at `verifyingContract` on `chainId`. */
export function mintVoucherDomain(chainId: number, verifyingContract: Address): TypedDataDomain {
  return { name: "HarvestCard", version: "1", chainId, verifyingContract };
}

/**
 * The typed-data request to sign a voucher, for viem's `signTypedData`.
 *
 * @example
 * const signature = await account.signTypedData(mintVoucherTypedData(31337, cardAddress, voucher));
 */
export function mintVoucherTypedData(chainId: number, verifyingContract: Address, message: MintVoucher) {
  return {
    domain: mintVoucherDomain(chainId, verifyingContract),
    types: mintVoucherTypes,
    primaryType: "MintVoucher" as const,
    message,
  };
}

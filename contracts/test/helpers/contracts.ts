/**
 * Typed deployers and voucher helpers shared by the contract tests (and the gas script).
 *
 * `viem.deployContract` is typed from Hardhat's generated artifact types, which the type check does
 * not see (see scripts/gen-abis.ts), so each deployer narrows the result to the ABI in `abis.ts`.
 */
import type { GetContractReturnType } from "@nomicfoundation/hardhat-viem/types";
import type { NetworkConnection } from "hardhat/types/network";
import type { Address, Hex, LocalAccount, TypedDataDomain } from "viem";
import { encodeErrorResult, hashTypedData, hexToBigInt, keccak256, numberToHex, size, slice, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type {
  batchMinterAbi,
  erc4907ReferenceAbi,
  harvestLandAbi,
  plainERC721Abi,
  reentrantVoucherReceiverAbi,
  smartWalletAbi,
} from "./abis.ts";
import { harvestCardAbi } from "./abis.ts";
import { mintVoucherDomain, mintVoucherTypes, type MintVoucher } from "../../../core/src/chain/mint-voucher.ts";

export type Viem = NetworkConnection["viem"];
export type HarvestCard = GetContractReturnType<typeof harvestCardAbi>;
export type HarvestLand = GetContractReturnType<typeof harvestLandAbi>;
export type SmartWallet = GetContractReturnType<typeof smartWalletAbi>;
export type ReentrantVoucherReceiver = GetContractReturnType<typeof reentrantVoucherReceiverAbi>;
export type PlainERC721 = GetContractReturnType<typeof plainERC721Abi>;
export type ERC4907Reference = GetContractReturnType<typeof erc4907ReferenceAbi>;
export type BatchMinter = GetContractReturnType<typeof batchMinterAbi>;

/** The role ids, as the contracts compute them. */
export const ROLES = {
  DEFAULT_ADMIN: `0x${"00".repeat(32)}` as Hex,
  MINTER: keccak256(toHex("MINTER_ROLE")),
  PAUSER: keccak256(toHex("PAUSER_ROLE")),
  RENTAL_OPERATOR: keccak256(toHex("RENTAL_OPERATOR_ROLE")),
} as const;

/** ERC-165 interface ids. */
export const INTERFACE_IDS = {
  ERC165: "0x01ffc9a7",
  ERC721: "0x80ac58cd",
  ERC721Metadata: "0x5b5e139f",
  ERC2981: "0x2a55205a",
  ERC4907: "0xad092b5c",
  AccessControl: "0x7965db0b",
} as const satisfies Record<string, Hex>;

export const ZERO_ADDRESS: Address = "0x0000000000000000000000000000000000000000";

export interface CardDeployArgs {
  admin: Address;
  voucherSigner: Address;
  treasury: Address;
  creatorRoyaltyBps: number;
  gameRoyaltyBps: number;
  baseURI: string;
}

export function cardConstructorArgs(args: CardDeployArgs): unknown[] {
  return [args.admin, args.voucherSigner, args.treasury, args.creatorRoyaltyBps, args.gameRoyaltyBps, args.baseURI];
}

export async function deployHarvestCard(viem: Viem, args: CardDeployArgs): Promise<HarvestCard> {
  return (await viem.deployContract("HarvestCard", cardConstructorArgs(args))) as unknown as HarvestCard;
}

export async function deployHarvestLand(viem: Viem, admin: Address, baseURI: string): Promise<HarvestLand> {
  return (await viem.deployContract("HarvestLand", [admin, baseURI])) as unknown as HarvestLand;
}

export async function deploySmartWallet(viem: Viem, owner: Address): Promise<SmartWallet> {
  return (await viem.deployContract("SmartWallet", [owner])) as unknown as SmartWallet;
}

export async function deployReentrantReceiver(viem: Viem, card: Address): Promise<ReentrantVoucherReceiver> {
  return (await viem.deployContract("ReentrantVoucherReceiver", [card])) as unknown as ReentrantVoucherReceiver;
}

export async function deployPlainERC721(viem: Viem): Promise<PlainERC721> {
  return (await viem.deployContract("PlainERC721")) as unknown as PlainERC721;
}

export async function deployBatchMinter(viem: Viem, card: Address): Promise<BatchMinter> {
  return (await viem.deployContract("BatchMinter", [card])) as unknown as BatchMinter;
}

export async function deployERC4907Reference(viem: Viem): Promise<ERC4907Reference> {
  return (await viem.deployContract("ERC4907Reference")) as unknown as ERC4907Reference;
}

/** The typed views of contracts that Ignition (or anything else) returns untyped. */
export function asHarvestCard(contract: unknown): HarvestCard {
  return contract as HarvestCard;
}

export function asHarvestLand(contract: unknown): HarvestLand {
  return contract as HarvestLand;
}

// ---------------------------------------------------------------------------------------------
// Vouchers
// ---------------------------------------------------------------------------------------------

// The voucher's types and domain are the ones the game signs with (core/src/chain/mint-voucher.ts),
// so these tests also prove the server's typed data matches the contract.
export type { MintVoucher };
export const MINT_VOUCHER_TYPES = mintVoucherTypes;

/** The EIP-712 domain of a HarvestCard deployment. */
export const cardDomain = mintVoucherDomain;

export function voucherDigest(domain: TypedDataDomain, voucher: MintVoucher): Hex {
  return hashTypedData({ domain, types: MINT_VOUCHER_TYPES, primaryType: "MintVoucher", message: voucher });
}

export async function signVoucher(signer: LocalAccount, domain: TypedDataDomain, voucher: MintVoucher): Promise<Hex> {
  return await signer.signTypedData({ domain, types: MINT_VOUCHER_TYPES, primaryType: "MintVoucher", message: voucher });
}

/** A deterministic test key, so failures are reproducible. */
export function testAccount(label: string): LocalAccount {
  return privateKeyToAccount(keccak256(toHex(`harvest-battles test key: ${label}`)));
}

/** The order of the secp256k1 group. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Turns a canonical (low-s) 65-byte signature into its malleable twin: s' = n - s, v flipped.
 * ecrecover accepts both; OpenZeppelin's ECDSA refuses the high-s one.
 */
export function highSTwin(signature: Hex): Hex {
  if (size(signature) !== 65) throw new Error("expected a 65-byte signature");
  const r = slice(signature, 0, 32);
  const s = hexToBigInt(slice(signature, 32, 64));
  const v = hexToBigInt(slice(signature, 64, 65));
  const flippedV = v === 27n ? 28 : 27;
  return `${r}${numberToHex(SECP256K1_N - s, { size: 32 }).slice(2)}${numberToHex(flippedV, { size: 1 }).slice(2)}` as Hex;
}

/** The revert data of `VoucherNonceUsed(nonce)`, as a re-entering receiver records it. */
export function voucherNonceUsedData(nonce: bigint): Hex {
  return encodeErrorResult({ abi: harvestCardAbi, errorName: "VoucherNonceUsed", args: [nonce] });
}

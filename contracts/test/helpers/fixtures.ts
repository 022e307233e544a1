/**
 * Named fixtures for `networkHelpers.loadFixture`: each deploys a fresh set of contracts once per
 * connection, and later calls restore the chain to the snapshot taken right after.
 */
import type { NetworkConnection } from "hardhat/types/network";
import type { Address, Hex, LocalAccount, TypedDataDomain } from "viem";
import { keccak256, toHex } from "viem";
import type { HarvestCard, HarvestLand, MintVoucher, Viem } from "./contracts.ts";
import {
  ROLES,
  ZERO_ADDRESS,
  asHarvestLand,
  cardDomain,
  deployHarvestCard,
  deployHarvestLand,
  signVoucher,
  testAccount,
} from "./contracts.ts";

export type WalletClient = Awaited<ReturnType<Viem["getWalletClients"]>>[number];

export const CARD_BASE_URI = "ipfs://cards/";
export const LAND_BASE_URI = "ipfs://lands/";
export const CREATOR_ROYALTY_BPS = 500;
export const GAME_ROYALTY_BPS = 250;
export const ONE_DAY = 24n * 60n * 60n;

/** The accounts every fixture names, by role in the story. */
export interface Actors {
  admin: WalletClient;
  alice: WalletClient;
  bob: WalletClient;
  carol: WalletClient;
  relayer: WalletClient;
  treasury: WalletClient;
  crafter: WalletClient;
  operator: WalletClient;
  stranger: WalletClient;
}

export async function getActors(viem: Viem): Promise<Actors> {
  const wallets = await viem.getWalletClients();
  const at = (index: number): WalletClient => {
    const wallet = wallets[index];
    if (wallet === undefined) throw new Error(`the network has no account #${index}`);
    return wallet;
  };
  return {
    admin: at(0),
    alice: at(1),
    bob: at(2),
    carol: at(3),
    relayer: at(4),
    treasury: at(5),
    crafter: at(6),
    operator: at(7),
    stranger: at(8),
  };
}

/** An attributes hash as the game would compute it. */
export function attributes(label: string): Hex {
  return keccak256(toHex(`card attributes: ${label}`));
}

export interface CardFixture {
  viem: Viem;
  connection: NetworkConnection;
  actors: Actors;
  card: HarvestCard;
  signer: LocalAccount;
  chainId: number;
  domain: TypedDataDomain;
  /** A voucher for a new card to alice, valid for an hour; `overrides` replaces any field. */
  voucher: (overrides?: Partial<MintVoucher>) => Promise<MintVoucher>;
  /** Signs with the card's voucher signer unless told otherwise. */
  sign: (voucher: MintVoucher, signer?: LocalAccount, domain?: TypedDataDomain) => Promise<Hex>;
  now: () => Promise<bigint>;
}

let uniqueCounter = 1_000n;
/** Ids and nonces that no two vouchers in a test run share, unless a test says so. */
export function unique(): bigint {
  uniqueCounter += 1n;
  return uniqueCounter;
}

export async function cardFixture(connection: NetworkConnection): Promise<CardFixture> {
  const { viem, networkHelpers } = connection;
  const actors = await getActors(viem);
  const signer = testAccount("voucher signer");
  const card = await deployHarvestCard(viem, {
    admin: actors.admin.account.address,
    voucherSigner: signer.address,
    treasury: actors.treasury.account.address,
    creatorRoyaltyBps: CREATOR_ROYALTY_BPS,
    gameRoyaltyBps: GAME_ROYALTY_BPS,
    baseURI: CARD_BASE_URI,
  });
  await card.write.grantRole([ROLES.RENTAL_OPERATOR, actors.operator.account.address]);
  const chainId = await (await viem.getPublicClient()).getChainId();
  const domain = cardDomain(chainId, card.address);
  const now = async (): Promise<bigint> => BigInt(await networkHelpers.time.latest());
  const voucher = async (overrides: Partial<MintVoucher> = {}): Promise<MintVoucher> => {
    const id = unique();
    return {
      cardId: id,
      recipeId: 7n,
      attributesHash: attributes(`card ${id}`),
      crafter: actors.crafter.account.address,
      recipient: actors.alice.account.address,
      nonce: id,
      deadline: (await now()) + 3_600n,
      ...overrides,
    };
  };
  const sign = async (v: MintVoucher, by: LocalAccount = signer, d: TypedDataDomain = domain): Promise<Hex> =>
    await signVoucher(by, d, v);
  return { viem, connection, actors, card, signer, chainId, domain, voucher, sign, now };
}

export interface LandFixture {
  viem: Viem;
  connection: NetworkConnection;
  actors: Actors;
  land: HarvestLand;
}

export async function landFixture(connection: NetworkConnection): Promise<LandFixture> {
  const { viem } = connection;
  const actors = await getActors(viem);
  const land = await deployHarvestLand(viem, actors.admin.account.address, LAND_BASE_URI);
  await land.write.grantRole([ROLES.RENTAL_OPERATOR, actors.operator.account.address]);
  return { viem, connection, actors, land };
}

/** A rentable token (card or land) with one token minted to alice, for the shared rental suite. */
export interface RentalFixture {
  viem: Viem;
  connection: NetworkConnection;
  actors: Actors;
  /**
   * The token under test, typed with the land ABI: its ERC-721, ERC-4907, AccessControl and
   * Pausable functions, events and errors are the card's too.
   */
  token: HarvestLand;
  tokenId: bigint;
  /** Mints another token to `to` and returns its id. */
  mintTo: (to: Address) => Promise<bigint>;
  now: () => Promise<bigint>;
}

async function rentalFixtureFrom(
  connection: NetworkConnection,
  actors: Actors,
  token: HarvestLand,
  mintTo: (to: Address) => Promise<bigint>,
): Promise<RentalFixture> {
  const tokenId = await mintTo(actors.alice.account.address);
  const now = async (): Promise<bigint> => BigInt(await connection.networkHelpers.time.latest());
  return { viem: connection.viem, connection, actors, token, tokenId, mintTo, now };
}

export async function cardRentalFixture(connection: NetworkConnection): Promise<RentalFixture> {
  const { card, actors } = await cardFixture(connection);
  const mintTo = async (to: Address): Promise<bigint> => {
    const id = unique();
    await card.write.mint([to, id, 1n, attributes(`rental ${id}`), ZERO_ADDRESS]);
    return id;
  };
  return await rentalFixtureFrom(connection, actors, asHarvestLand(card), mintTo);
}

export async function landRentalFixture(connection: NetworkConnection): Promise<RentalFixture> {
  const { land, actors } = await landFixture(connection);
  const mintTo = async (to: Address): Promise<bigint> => {
    const next = (await land.read.totalMinted()) + 1n;
    await land.write.mint([to, 4, 100, 0]);
    return next;
  };
  return await rentalFixtureFrom(connection, actors, land, mintTo);
}

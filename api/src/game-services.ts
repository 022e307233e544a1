import type pg from "pg";
import { privateKeyToAccount } from "viem/accounts";
import type { Address } from "viem";
import { createGameClockStore } from "@harvest/db/clock/game-clock-store";
import { createCraftingService } from "@harvest/db/farm/crafting-service";
import { createDeckService } from "@harvest/db/decks/deck-service";
import { createFarmService } from "@harvest/db/farm/farm-service";
import type { OwnershipReader } from "@harvest/db/ownership/ownership-reader";

export type GameServicesOptions = {
  pool: pg.Pool;
  ownership: OwnershipReader;
  serverSeed: string;
  voucherSignerKey: `0x${string}`;
  card: { address: Address; chainId: number };
  gameTimeScale?: number;
  voucherTtlSeconds?: number;
  /** The chain's clock in seconds (vouchers expire by it). */
  chainNowSeconds?: () => Promise<number>;
};

/** The farming, crafting and deck services over one database, the first two sharing the game clock. */
export function createGameServices({ pool, ownership, serverSeed, voucherSignerKey, card, gameTimeScale = 1, voucherTtlSeconds, chainNowSeconds }: GameServicesOptions) {
  const clock = createGameClockStore(pool, { defaultTimeScale: gameTimeScale });
  const gameNowMs = () => clock.nowMs();
  const farm = createFarmService({ pool, ownership, gameNowMs, serverSeed });
  const crafting = createCraftingService({
    pool,
    ownership,
    gameNowMs,
    serverSeed,
    voucherSigner: privateKeyToAccount(voucherSignerKey),
    card,
    ...(voucherTtlSeconds ? { voucherTtlSeconds } : {}),
    ...(chainNowSeconds ? { chainNowSeconds } : {}),
  });
  const decks = createDeckService({ pool, ownership });
  return { clock, farm, crafting, decks };
}

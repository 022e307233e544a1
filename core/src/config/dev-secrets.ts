import { ConfigError } from "./env.ts";

/** Hardhat's development account #0: the local chain's deployer and voucher signer. Public; local only. */
export const HARDHAT_ACCOUNT_0_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEVELOPMENT_GAME_SEED = "harvest-battles-development-seed";

/**
 * A secret that production must set and development may default: returns `value`, or in development
 * and tests `fallback` with a warning through `warn`.
 */
export function requiredInProduction(name: string, value: string | undefined, fallback: string, env: string, warn: (message: string) => void): string {
  if (value) return value;
  if (env === "production") throw new ConfigError(name, "is required in production");
  warn(`${name} is not set: using the development default`);
  return fallback;
}

/** The voucher signer's key and the game's secret seed, as the environment or development gives them. */
export function gameSecrets(config: { HARVEST_ENV: string; VOUCHER_SIGNER_PRIVATE_KEY?: string | undefined; GAME_SECRET_SEED?: string | undefined }, warn: (message: string) => void) {
  return {
    voucherSignerKey: requiredInProduction("VOUCHER_SIGNER_PRIVATE_KEY", config.VOUCHER_SIGNER_PRIVATE_KEY, HARDHAT_ACCOUNT_0_KEY, config.HARVEST_ENV, warn) as `0x${string}`,
    serverSeed: requiredInProduction("GAME_SECRET_SEED", config.GAME_SECRET_SEED, DEVELOPMENT_GAME_SEED, config.HARVEST_ENV, warn),
  };
}

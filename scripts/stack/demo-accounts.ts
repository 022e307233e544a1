import { mnemonicToAccount } from "viem/accounts";

/** Hardhat's well-known development mnemonic: public, for local chains only. */
export const hardhatMnemonic = "test test test test test test test test test test test junk";

/** Hardhat's development account `index` (0 deploys and signs vouchers; 1 and 2 are the demo players). */
export function devAccount(index: number) {
  return mnemonicToAccount(hardhatMnemonic, { addressIndex: index });
}

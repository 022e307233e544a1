import { createPublicClient, createWalletClient, http, keccak256, parseEventLogs, stringToHex, type Address } from "viem";
import { hardhat } from "viem/chains";
import { harvestCardAbi, harvestLandAbi } from "../../core/src/chain/abis.generated.ts";
import type { Deployment } from "../../core/src/chain/deployment.ts";
import { mintVoucherTypedData } from "../../core/src/chain/mint-voucher.ts";
import { devAccount } from "./demo-accounts.ts";

/** What the demo seed put on the chain. */
export type DemoSeed = {
  players: { address: Address; privateKeyHint: string; holds: string }[];
  cardTokenId: bigint;
  ownLandTokenId: bigint;
  rentedLandTokenId: bigint;
  rentalExpires: bigint;
};

const RENTAL_SECONDS = 7n * 24n * 3600n;

/**
 * Seeds the demo on Hardhat's development accounts: account 1 redeems a card mint voucher signed
 * by account 0 (the voucher signer) and is minted two lands; it rents its second land to account 2.
 */
export async function seedDemo(rpcUrl: string, deployment: Deployment): Promise<DemoSeed> {
  const [signer, player1, player2] = [devAccount(0), devAccount(1), devAccount(2)];
  const transport = http(rpcUrl);
  const chain = { ...hardhat, id: deployment.chainId };
  const publicClient = createPublicClient({ chain, transport });
  const admin = createWalletClient({ chain, transport, account: signer });
  const wallet1 = createWalletClient({ chain, transport, account: player1 });
  const card = deployment.contracts.HarvestCard.address;
  const land = deployment.contracts.HarvestLand.address;
  const confirm = async (hash: `0x${string}`) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`seed transaction ${hash} reverted`);
    return receipt;
  };

  const now = (await publicClient.getBlock()).timestamp;
  const voucher = {
    cardId: 1n,
    recipeId: 1n,
    attributesHash: keccak256(stringToHex("demo:sunflower-sentinel")),
    crafter: player1.address,
    recipient: player1.address,
    nonce: 1n,
    deadline: now + 3600n,
  };
  const signature = await signer.signTypedData(mintVoucherTypedData(deployment.chainId, card, voucher));
  await confirm(await wallet1.writeContract({ address: card, abi: harvestCardAbi, functionName: "mintWithVoucher", args: [voucher, signature] }));

  const landIds: bigint[] = [];
  for (const [plots, fertility, trait] of [[6, 120, 2], [4, 100, 1]] as const) {
    const receipt = await confirm(
      await admin.writeContract({ address: land, abi: harvestLandAbi, functionName: "mint", args: [player1.address, plots, fertility, trait] }),
    );
    const [minted] = parseEventLogs({ abi: harvestLandAbi, logs: receipt.logs, eventName: "LandMinted" });
    landIds.push(minted!.args.tokenId);
  }
  const [ownLandTokenId, rentedLandTokenId] = landIds as [bigint, bigint];
  const rentalExpires = now + RENTAL_SECONDS;
  await confirm(
    await wallet1.writeContract({ address: land, abi: harvestLandAbi, functionName: "setUser", args: [rentedLandTokenId, player2.address, rentalExpires] }),
  );

  return {
    players: [
      { address: player1.address, privateKeyHint: "Hardhat account #1", holds: `card #1, land #${ownLandTokenId}, land #${rentedLandTokenId} (rented out to account #2)` },
      { address: player2.address, privateKeyHint: "Hardhat account #2", holds: `rents land #${rentedLandTokenId} for 7 days` },
    ],
    cardTokenId: 1n,
    ownLandTokenId,
    rentedLandTokenId,
    rentalExpires,
  };
}

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, createTestClient, createWalletClient, http, type Address } from "viem";
import { hardhat } from "viem/chains";
import { harvestCardAbi, harvestLandAbi } from "../../core/src/chain/abis.generated.ts";
import { readDeployment, type Deployment } from "../../core/src/chain/deployment.ts";
import { findFreePort } from "../../db/src/testing/free-port.ts";
import { deployContracts, startHardhatNode } from "./chain.ts";
import { devAccount } from "./demo-accounts.ts";
import type { ManagedProcess } from "./processes.ts";

/**
 * A Hardhat node of its own for one test file, with the contracts deployed (from the artifacts that
 * `npm test` builds first) and viem clients for the development accounts.
 */
export async function startTestChain() {
  const port = await findFreePort();
  const chain = await startHardhatNode(port);
  try {
    const dir = await mkdtemp(join(tmpdir(), "harvest-chain-"));
    const deploymentFile = await deployContracts(chain.url, join(dir, "deployment.json"));
    const deployment = readDeployment(deploymentFile);
    return { url: chain.url, deploymentFile, deployment, process: chain.process, ...clientsFor(chain.url, deployment) };
  } catch (error) {
    await chain.process.stop();
    throw error;
  }
}

export type TestChain = Awaited<ReturnType<typeof startTestChain>> & { process: ManagedProcess };

/** viem clients on `url`: public, test (time, snapshots), and a wallet per development account. */
export function clientsFor(url: string, deployment: Deployment) {
  const transport = http(url);
  const chain = { ...hardhat, id: deployment.chainId };
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const testClient = createTestClient({ chain, transport, mode: "hardhat" });
  const wallet = (index: number) => createWalletClient({ chain, transport, account: devAccount(index) });
  const card = deployment.contracts.HarvestCard.address;
  const land = deployment.contracts.HarvestLand.address;

  async function confirm(hash: `0x${string}`) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt;
  }

  return {
    publicClient,
    testClient,
    wallet,
    confirm,
    /** Mints card `tokenId` to `to` directly (account 0 holds the minter role). */
    mintCard: async (to: Address, tokenId: bigint, recipeId = 1n) =>
      confirm(await wallet(0).writeContract({ address: card, abi: harvestCardAbi, functionName: "mint", args: [to, tokenId, recipeId, `0x${"ab".repeat(32)}`, to] })),
    /** Mints the next land to `to`. */
    mintLand: async (to: Address, plots = 4, fertility = 100, trait = 0) =>
      confirm(await wallet(0).writeContract({ address: land, abi: harvestLandAbi, functionName: "mint", args: [to, plots, fertility, trait] })),
    /** Transfers a card from development account `fromIndex` to `to`. */
    transferCard: async (fromIndex: number, to: Address, tokenId: bigint) => {
      const from = devAccount(fromIndex).address;
      return confirm(await wallet(fromIndex).writeContract({ address: card, abi: harvestCardAbi, functionName: "transferFrom", args: [from, to, tokenId] }));
    },
    /** Rents a card out: its owner (development account `ownerIndex`) sets `user` until `expires`. */
    rentCard: async (ownerIndex: number, tokenId: bigint, user: Address, expires: bigint) =>
      confirm(await wallet(ownerIndex).writeContract({ address: card, abi: harvestCardAbi, functionName: "setUser", args: [tokenId, user, expires] })),
    /** Moves the chain's clock forward and mines a block, so the indexer sees the new time. */
    advanceTime: async (seconds: number) => {
      await testClient.increaseTime({ seconds });
      await testClient.mine({ blocks: 1 });
    },
  };
}

/**
 * Deploys the card and land tokens with Hardhat Ignition and writes deployments/<network>.json, the
 * file the indexer, the API and the game server read (addresses, chain id and start blocks).
 *
 * Usage: `hardhat run scripts/deploy.ts --network <name>` (localhost, immutableTestnet, ...),
 * or `node scripts/deploy.ts <name>`. Optional environment: VOUCHER_SIGNER_ADDRESS, TREASURY_ADDRESS,
 * ADMIN_ADDRESS (each defaults to the deploying account), RENTAL_OPERATOR_ADDRESS (granted the
 * rental operator role when set), DEPLOYMENT_OUT (where to write the file).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import HarvestBattles from "../contracts/ignition/modules/HarvestBattles.ts";
import { getAddress, type Address } from "viem";
import { harvestCardAbi, harvestLandAbi } from "../core/src/chain/abis.generated.ts";
import type { Deployment } from "../core/src/chain/deployment.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const networkName = process.argv[2] && !process.argv[2].startsWith("-") ? process.argv[2] : undefined;
const connection = await network.create(networkName);
const { ignition, viem, networkName: name } = connection;
const publicClient = await viem.getPublicClient();
const chainId = await publicClient.getChainId();
const startBlock = Number(await publicClient.getBlockNumber());

// A local chain starts empty every time, and several may run at once (tests): each local deployment
// gets a journal of its own, removed afterwards, as an old journal would not match a new chain.
const isLocal = chainId === 31337;
const deploymentId = isLocal ? `local-${process.pid}-${Date.now()}` : undefined;

const [deployer] = await viem.getWalletClients();
const optional = (key: string) => process.env[key] || undefined;
const parameters: Record<string, string> = {};
for (const [param, env] of [["admin", "ADMIN_ADDRESS"], ["voucherSigner", "VOUCHER_SIGNER_ADDRESS"], ["treasury", "TREASURY_ADDRESS"]] as const) {
  const value = optional(env);
  if (value) parameters[param] = value;
}
const deployed = await ignition.deploy(HarvestBattles, {
  parameters: { HarvestBattles: parameters },
  displayUi: false,
  ...(deploymentId ? { deploymentId } : {}),
});
if (deploymentId) await rm(`${root}contracts/ignition/deployments/${deploymentId}`, { recursive: true, force: true });

// Ignition types its results from artifacts that the type check does not see; the addresses are all we need.
const card = (deployed.card as unknown as { address: Address }).address;
const land = (deployed.land as unknown as { address: Address }).address;

const rentalOperator = optional("RENTAL_OPERATOR_ADDRESS");
if (rentalOperator && deployer) {
  for (const [address, abi] of [[card, harvestCardAbi], [land, harvestLandAbi]] as const) {
    const role = await publicClient.readContract({ address, abi, functionName: "RENTAL_OPERATOR_ROLE" });
    const hash = await deployer.writeContract({ address, abi, functionName: "grantRole", args: [role, getAddress(rentalOperator)] });
    await publicClient.waitForTransactionReceipt({ hash });
  }
}

const deployment: Deployment = {
  network: name,
  chainId,
  contracts: {
    HarvestCard: { address: card, startBlock },
    HarvestLand: { address: land, startBlock },
  },
};
const file = process.env.DEPLOYMENT_OUT ?? `${root}deployments/${name}.json`;
await mkdir(dirname(file), { recursive: true });
await writeFile(file, `${JSON.stringify(deployment, null, 2)}\n`);
console.log(JSON.stringify({ deployed: file, ...deployment }));
await connection.close();

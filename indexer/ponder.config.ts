import { createConfig } from "ponder";
import { harvestCardAbi, harvestLandAbi } from "@harvest/core/chain/abis.generated";
import { readDeployment } from "@harvest/core/chain/deployment";

// The launcher (scripts/dev.ts) or the operator points the indexer at a chain and a deployment file.
const deployment = readDeployment(process.env.DEPLOYMENT_FILE ?? "../deployments/localhost.json");
const rpcUrl = process.env.RPC_URL ?? "http://127.0.0.1:8545";
const isLocalChain = deployment.chainId === 31337;

export default createConfig({
  database: { kind: "postgres", connectionString: process.env.DATABASE_URL },
  chains: {
    game: {
      id: deployment.chainId,
      rpc: rpcUrl,
      // A restarted local chain reuses block numbers with new hashes: a cached RPC would serve stale data.
      disableCache: isLocalChain,
      pollingInterval: isLocalChain ? 250 : 1_000,
    },
  },
  contracts: {
    HarvestCard: {
      chain: "game",
      abi: harvestCardAbi,
      address: deployment.contracts.HarvestCard.address,
      startBlock: deployment.contracts.HarvestCard.startBlock,
    },
    HarvestLand: {
      chain: "game",
      abi: harvestLandAbi,
      address: deployment.contracts.HarvestLand.address,
      startBlock: deployment.contracts.HarvestLand.startBlock,
    },
  },
});

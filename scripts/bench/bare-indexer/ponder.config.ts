import { createConfig } from "ponder";
import { erc721Abi } from "viem";
import { readDeployment } from "../../../core/src/chain/deployment.ts";

// The benchmark's baseline: a bare Ponder app that records only the card contract's Transfer events.
const deployment = readDeployment(process.env.DEPLOYMENT_FILE!);

export default createConfig({
  database: { kind: "postgres", connectionString: process.env.DATABASE_URL },
  chains: { game: { id: deployment.chainId, rpc: process.env.RPC_URL!, disableCache: true, pollingInterval: 250 } },
  contracts: {
    Card: { chain: "game", abi: erc721Abi, address: deployment.contracts.HarvestCard.address, startBlock: deployment.contracts.HarvestCard.startBlock },
  },
});

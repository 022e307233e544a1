/**
 * Reorganises the local chain by `depth` blocks, to watch the indexer (and everything reading it)
 * follow a reorg: mines `depth` blocks that each mint a card to Hardhat account #9, waits for the
 * indexer to see them, then replaces them with `depth + 1` empty blocks. The cards vanish again.
 *
 * Usage: `npm run chain:reorg -- <depth>` against the stack `npm start` runs (RPC_URL,
 * DEPLOYMENT_FILE default to .data/deployment.json, INDEXER_URL default http://127.0.0.1:42069).
 */
import { createTestClient, http } from "viem";
import { hardhat } from "viem/chains";
import { readDeployment } from "../../core/src/chain/deployment.ts";
import { clientsFor } from "../stack/test-chain.ts";
import { devAccount } from "../stack/demo-accounts.ts";
import { waitFor } from "../stack/processes.ts";
import { reorgLocalChain } from "../stack/reorg.ts";

const depth = Number(process.argv[2]);
if (!Number.isInteger(depth) || depth < 1) {
  process.stderr.write("usage: npm run chain:reorg -- <depth>  (a positive whole number)\n");
  process.exit(2);
}
const url = process.env.RPC_URL || "http://127.0.0.1:8545";
const indexerUrl = process.env.INDEXER_URL || "http://127.0.0.1:42069";
const deployment = readDeployment(process.env.DEPLOYMENT_FILE || ".data/deployment.json");
const chain = clientsFor(url, deployment);
const testClient = createTestClient({ chain: { ...hardhat, id: deployment.chainId }, transport: http(url), mode: "hardhat" });
const firstCard = BigInt(Date.now()) * 1_000n;

async function indexerHead(): Promise<bigint> {
  const status = (await (await fetch(`${indexerUrl}/status`)).json()) as Record<string, { block: { number: number } }>;
  return BigInt(Object.values(status)[0]?.block.number ?? 0);
}

const forkBlock = await reorgLocalChain(testClient, {
  depth,
  orphan: (i) => chain.mintCard(devAccount(9).address, firstCard + BigInt(i)),
  beforeRevert: async () => {
    const head = await chain.publicClient.getBlockNumber();
    await waitFor(`the indexer to reach block ${head}`, async () => (await indexerHead()) >= head, 30_000);
  },
  replace: () => testClient.mine({ blocks: 1 }),
});
console.log(JSON.stringify({ depth, forkBlock: Number(forkBlock), newHead: Number(await chain.publicClient.getBlockNumber()), orphanedCards: Array.from({ length: depth }, (_, i) => (firstCard + BigInt(i)).toString()) }));

/**
 * Moves the local chain's clock forward and mines a block, so that rentals expire without waiting.
 *
 * Usage: `npm run chain:time -- <seconds>` (RPC_URL, default http://127.0.0.1:8545).
 * Works on a Hardhat or Anvil node; real chains refuse it.
 */
import { jsonRpc } from "../../core/src/chain/json-rpc.ts";

const seconds = Number(process.argv[2]);
if (!Number.isInteger(seconds) || seconds <= 0) {
  process.stderr.write("usage: npm run chain:time -- <seconds>  (a positive whole number)\n");
  process.exit(2);
}
const url = process.env.RPC_URL || "http://127.0.0.1:8545";
await jsonRpc(url, "evm_increaseTime", [seconds]);
await jsonRpc(url, "evm_mine", []);
const block = await jsonRpc<{ number: string; timestamp: string }>(url, "eth_getBlockByNumber", ["latest", false]);
console.log(JSON.stringify({ advancedSeconds: seconds, block: Number(block.number), timestamp: Number(block.timestamp), isoTime: new Date(Number(block.timestamp) * 1000).toISOString() }));

import { jsonRpc } from "../chain/json-rpc.ts";
import { ConfigError } from "./env.ts";

/**
 * Asks the JSON-RPC endpoint for its chain id within `timeoutMs`; throws a {@link ConfigError}
 * naming `variable` when it does not answer, so a bad RPC_URL ends start-up quickly.
 */
export async function checkRpcReachable(url: string, timeoutMs: number, variable = "RPC_URL"): Promise<number> {
  try {
    return Number(BigInt(await jsonRpc<string>(url, "eth_chainId", [], timeoutMs)));
  } catch (cause) {
    const reason = (cause as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (cause as Error).message;
    throw new ConfigError(variable, `cannot reach the chain at ${url}: ${reason}`);
  }
}

import { ConfigError } from "./env.ts";

/**
 * Asks the JSON-RPC endpoint for its chain id within `timeoutMs`; throws a {@link ConfigError}
 * naming `variable` when it does not answer, so a bad RPC_URL ends start-up quickly.
 */
export async function checkRpcReachable(url: string, timeoutMs: number, variable = "RPC_URL"): Promise<number> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { result?: string };
    if (!body.result) throw new Error(`answered without a chain id (HTTP ${response.status})`);
    return Number(BigInt(body.result));
  } catch (cause) {
    const reason = (cause as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (cause as Error).message;
    throw new ConfigError(variable, `cannot reach the chain at ${url}: ${reason}`);
  }
}

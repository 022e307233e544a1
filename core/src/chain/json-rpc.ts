/**
 * Calls one JSON-RPC method over HTTP within `timeoutMs` and returns its result; throws with the
 * node's error message, or when it answers without a result. For the few places that need one call
 * and no client (start-up checks, health, development tools).
 */
export async function jsonRpc<T = unknown>(url: string, method: string, params: unknown[] = [], timeoutMs = 5_000): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  if (body.result === undefined) throw new Error(`${method}: answered without a result (HTTP ${response.status})`);
  return body.result;
}

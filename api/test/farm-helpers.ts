import type { TokenResponse } from "@harvest/core/protocol/api-schemas";
import { bearer } from "../src/testing/siwe-client.ts";

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** A signed-in player's calls to the farming routes, returning status and body. */
export function farmClient(app: Requester, tokens: TokenResponse) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(path, bearer(tokens.token, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
    // Test bodies are read loosely; the routes' schemas are checked by the OpenAPI validation and the fuzz test.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  return {
    farm: () => call("GET", "/v1/farm"),
    inventory: () => call("GET", "/v1/inventory"),
    plant: (plotId: string, seedId: string) => call("POST", `/v1/farm/plots/${plotId}/plant`, { seedId }),
    harvest: (plotId: string) => call("POST", `/v1/farm/plots/${plotId}/harvest`),
    clear: (plotId: string) => call("POST", `/v1/farm/plots/${plotId}/clear`),
    sell: (kind: string, quality: number, quantity: number) => call("POST", "/v1/market/sell", { kind, quality, quantity }),
    buySeeds: (crop: string, quantity: number) => call("POST", "/v1/market/seeds", { crop, quantity }),
    craft: (recipe: string) => call("POST", "/v1/crafts", { recipe }),
    cards: () => call("GET", "/v1/cards"),
    voucher: (cardId: string) => call("POST", `/v1/cards/${cardId}/voucher`),
  };
}

/**
 * A bot's way into a running API, over HTTP like any client: Sign-In with Ethereum (GET
 * /v1/auth/nonce, sign the EIP-4361 message built from the fields it names, POST /v1/auth/verify),
 * then the starter pack (POST /v1/cards/starter-pack) and its deck's id (GET /v1/decks when the pack
 * was claimed before). A 429 is waited out (Retry-After) and retried: the API limits sign-ins per IP
 * (30 a minute unless RATE_LIMIT_MULTIPLIER raises it), and every bot comes from the same address.
 */
import type { LocalAccount } from "viem";
import { loginMessageFor } from "../../core/src/auth/siwe-message.ts";
import type { NonceResponse, TokenResponse } from "../../core/src/protocol/api-schemas.ts";

export type SignInOptions = {
  /** Told when the API asks us to wait (a 429), with the seconds. */
  onWait?: (seconds: number) => void;
  /** Gives up after this many 429s in a row. */
  maxRetries?: number;
};

/** fetch, retrying 429 answers after their Retry-After. */
async function call(url: string, init: RequestInit, options: SignInOptions): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, init);
    if (response.status !== 429 || attempt >= (options.maxRetries ?? 20)) return response;
    const seconds = Number(response.headers.get("retry-after") ?? 1) || 1;
    await response.body?.cancel();
    options.onWait?.(seconds);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  }
}

async function expectOk<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what} failed with ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}

/** Signs `account` in; returns the access token. */
export async function signIn(apiUrl: string, account: LocalAccount, options: SignInOptions = {}): Promise<TokenResponse> {
  const nonce = await expectOk<NonceResponse>(await call(`${apiUrl}/v1/auth/nonce`, {}, options), "GET /v1/auth/nonce");
  const message = loginMessageFor(nonce, account.address);
  const signature = await account.signMessage({ message });
  const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature }) };
  return expectOk<TokenResponse>(await call(`${apiUrl}/v1/auth/verify`, init, options), "POST /v1/auth/verify");
}

/** Claims the starter pack (or finds it claimed) and returns the id of a deck to queue with. */
export async function starterDeckId(apiUrl: string, token: string, options: SignInOptions = {}): Promise<string> {
  const headers = { authorization: `Bearer ${token}` };
  const claimed = await call(`${apiUrl}/v1/cards/starter-pack`, { method: "POST", headers }, options);
  if (claimed.status === 201) return ((await claimed.json()) as { deck: { id: string } }).deck.id;
  if (claimed.status !== 409) await expectOk(claimed, "POST /v1/cards/starter-pack");
  await claimed.body?.cancel();
  const { decks } = await expectOk<{ decks: { id: string }[] }>(await call(`${apiUrl}/v1/decks`, { headers }, options), "GET /v1/decks");
  if (decks[0] === undefined) throw new Error("the player has no deck");
  return decks[0].id;
}

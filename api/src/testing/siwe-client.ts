import type { LocalAccount } from "viem";
import { loginMessageFor, type buildSiweMessage } from "@harvest/core/auth/siwe-message";
import type { NonceResponse, TokenResponse } from "@harvest/core/protocol/api-schemas";

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** Asks `app` for a nonce and returns the message a client would sign with it (overridable fields). */
export async function prepareLogin(app: Requester, account: LocalAccount, overrides: Partial<Parameters<typeof buildSiweMessage>[0]> = {}, nowMs = Date.now()) {
  const nonce = (await (await app.request("/v1/auth/nonce")).json()) as NonceResponse;
  return { nonce, message: loginMessageFor(nonce, account.address, nowMs, overrides) };
}

/** POSTs a message and signature to /v1/auth/verify. */
export function postVerify(app: Requester, message: string, signature: string): Promise<Response> {
  return Promise.resolve(app.request("/v1/auth/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature }) }));
}

/** The whole login of `account`: nonce, sign, verify. Throws unless it succeeds. */
export async function login(app: Requester, account: LocalAccount): Promise<TokenResponse> {
  const { message } = await prepareLogin(app, account);
  const response = await postVerify(app, message, await account.signMessage({ message }));
  if (response.status !== 200) throw new Error(`login failed with ${response.status}: ${await response.text()}`);
  return (await response.json()) as TokenResponse;
}

/** Request options carrying a bearer token. */
export function bearer(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}`, "content-type": "application/json" } };
}

import type { SiwePolicy } from "@harvest/core/auth/siwe-message";

/** The statement clients put in their sign-in message. */
export const SIWE_STATEMENT = "Sign in to Harvest Battles.";

/**
 * What a sign-in message must name: SIWE_DOMAIN and SIWE_ORIGIN, or localhost on the API's port;
 * SIWE_CHAIN_IDS, or the chain the RPC answers with.
 */
export function siwePolicyFrom(
  config: { SIWE_DOMAIN?: string | undefined; SIWE_ORIGIN?: string | undefined; SIWE_CHAIN_IDS?: string | undefined; API_PORT: number },
  rpcChainId: number,
): SiwePolicy & { statement: string } {
  return {
    domain: config.SIWE_DOMAIN ?? `localhost:${config.API_PORT}`,
    origin: (config.SIWE_ORIGIN ?? `http://localhost:${config.API_PORT}`).replace(/\/+$/, ""),
    chainIds: config.SIWE_CHAIN_IDS ? config.SIWE_CHAIN_IDS.split(",").map(Number) : [rpcChainId],
    statement: SIWE_STATEMENT,
  };
}

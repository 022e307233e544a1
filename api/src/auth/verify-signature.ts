import { isAddressEqual, recoverMessageAddress, size, type Hex, type PublicClient } from "viem";
import { AppError } from "@harvest/core/errors/error-codes";

export type SignatureVerifierOptions = {
  /** A public client pinned to the chain a message names, or undefined when we have none for it. */
  clientFor: (chainId: number) => PublicClient | undefined;
  /** How long a smart-contract wallet check may take before the login fails with 503. */
  timeoutMs: number;
};

/** Checks that `signature` over `message` comes from `address`. */
export type SignatureVerifier = (input: { address: Hex; message: string; signature: Hex; chainId: number }) => Promise<boolean>;

/**
 * Accounts (EIP-191) are checked locally, with no round trip. Anything else (a smart-contract wallet:
 * ERC-1271, or ERC-6492 for one not deployed yet) is checked by viem through a client pinned to the
 * message's chain, within `timeoutMs`. If that chain cannot be reached the login fails with 503
 * (DEPENDENCY_UNAVAILABLE), never with success.
 */
export function createSignatureVerifier({ clientFor, timeoutMs }: SignatureVerifierOptions): SignatureVerifier {
  return async function verifySignature({ address, message, signature, chainId }) {
    if (size(signature) === 65) {
      const recovered = await recoverMessageAddress({ message, signature }).catch(() => undefined);
      if (recovered && isAddressEqual(recovered, address)) return true;
    }
    const client = clientFor(chainId);
    if (!client) return false;
    try {
      return await Promise.race([
        client.verifyMessage({ address, message, signature }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
      ]);
    } catch (cause) {
      throw new AppError("DEPENDENCY_UNAVAILABLE", "Cannot check the signature against the chain right now; try again.", { cause });
    }
  };
}

import { hexToBigInt, isAddressEqual, size, slice, zeroAddress, type Hex, type PublicClient } from "viem";
import { recoverPersonalSignAddress } from "./recover-address.ts";
import { AppError } from "@harvest/core/errors/error-codes";

export type SignatureVerifierOptions = {
  /** A public client pinned to the chain a message names, or undefined when we have none for it. */
  clientFor: (chainId: number) => PublicClient | undefined;
  /** How long a smart-contract wallet check may take before the login fails with 503. */
  timeoutMs: number;
};

/** Checks that `signature` over `message` comes from `address`. */
export type SignatureVerifier = (input: { address: Hex; message: string; signature: Hex; chainId: number }) => Promise<boolean>;

/** Half the order of secp256k1: a canonical signature's `s` is at most this (EIP-2, OpenZeppelin's ECDSA). */
const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * Accounts (EIP-191) are checked locally, with no round trip; only the canonical (low-s) form of a
 * signature counts, so a malleated copy of a signature is refused. Anything else (a smart-contract
 * wallet: ERC-1271, or ERC-6492 for one not deployed yet) is checked by viem through a client pinned
 * to the message's chain, within `timeoutMs`. If that chain cannot be reached the login fails with 503
 * (DEPENDENCY_UNAVAILABLE), never with success.
 */
/** Whether `signature` is `address`'s own canonical (low-s) EIP-191 signature of `message`; no I/O. */
export function verifyAccountSignature(address: Hex, message: string, signature: Hex): boolean {
  if (isAddressEqual(address, zeroAddress) || size(signature) !== 65) return false;
  const recovered = recoverPersonalSignAddress(message, signature);
  return recovered !== null && isAddressEqual(recovered, address) && hexToBigInt(slice(signature, 32, 64)) <= SECP256K1_HALF_N;
}

export function createSignatureVerifier({ clientFor, timeoutMs }: SignatureVerifierOptions): SignatureVerifier {
  return async function verifySignature({ address, message, signature, chainId }) {
    if (isAddressEqual(address, zeroAddress)) return false;
    if (size(signature) === 65) {
      const recovered = recoverPersonalSignAddress(message, signature);
      if (recovered && isAddressEqual(recovered, address)) return hexToBigInt(slice(signature, 32, 64)) <= SECP256K1_HALF_N;
    }
    const client = clientFor(chainId);
    if (!client) return false;
    try {
      return await Promise.race([
        (async () => {
          // viem's verifyMessage answers `false` when its eth_call fails for any reason, a chain that
          // does not answer included; asking for the code first makes an unreachable chain a 503.
          await client.getCode({ address });
          return client.verifyMessage({ address, message, signature });
        })(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
      ]);
    } catch (cause) {
      throw new AppError("DEPENDENCY_UNAVAILABLE", "Cannot check the signature against the chain right now; try again.", { cause });
    }
  };
}

import secp256k1 from "secp256k1";
import { concat, hashMessage, hexToBytes, toHex, type Hex } from "viem";

/**
 * Signs `message` as EIP-191 personal_sign with libsecp256k1, as a wallet would on the player's own
 * device. The load generator uses it so that its signing does not take the server's CPU on a shared
 * 2-core machine (viem's pure-JavaScript signing costs about 1.3 ms a message here).
 */
export function signPersonalMessage(privateKey: Hex, message: string): Hex {
  const { signature, recid } = secp256k1.ecdsaSign(hexToBytes(hashMessage(message)), hexToBytes(privateKey));
  return concat([toHex(signature), toHex(27 + recid, { size: 1 })]);
}

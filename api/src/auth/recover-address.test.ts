import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recoverMessageAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { signPersonalMessage } from "../../../scripts/bench/lib/native-signer.ts";
import { recoverPersonalSignAddress } from "./recover-address.ts";

describe("recoverPersonalSignAddress (libsecp256k1)", () => {
  it("recovers the signer exactly as viem does, for viem's and the native signer's signatures", async () => {
    for (let i = 0; i < 20; i++) {
      const key = generatePrivateKey();
      const account = privateKeyToAccount(key);
      const message = `Sign in to Harvest Battles.\nNonce: ${i}`;
      const viemSignature = await account.signMessage({ message });
      const nativeSignature = signPersonalMessage(key, message);
      assert.equal(recoverPersonalSignAddress(message, viemSignature), account.address);
      assert.equal(recoverPersonalSignAddress(message, nativeSignature), account.address);
      assert.equal(await recoverMessageAddress({ message, signature: nativeSignature }), account.address);
    }
  });

  it("returns null for a signature of the wrong length or recovery id, and another address for another message", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const signature = await account.signMessage({ message: "a" });
    assert.equal(recoverPersonalSignAddress("a", `0x${signature.slice(2, 130)}`), null);
    assert.equal(recoverPersonalSignAddress("a", `0x${signature.slice(2, 130)}1f`), null);
    assert.notEqual(recoverPersonalSignAddress("b", signature), account.address);
  });
});

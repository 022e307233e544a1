import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress } from "viem";
import { checksumAddress } from "./checksum-address.ts";

describe("checksumAddress", () => {
  it("gives viem's EIP-55 form, from any letter case, again and again", () => {
    const address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    for (const input of [address, address.toUpperCase().replace("0X", "0x"), getAddress(address)]) {
      assert.equal(checksumAddress(input), getAddress(address));
    }
  });

  it("refuses a malformed address", () => {
    assert.throws(() => checksumAddress("0x1234"));
  });
});

import { getAddress, type Address } from "viem";

// EIP-55 checksumming hashes the address (keccak-256 in JavaScript); the same few addresses come back
// on every request, so each is hashed once. Bounded: cleared when it grows past `LIMIT`.
const LIMIT = 100_000;
const cache = new Map<string, Address>();

/** The EIP-55 form of a 0x address (any case in); throws on a malformed one, as viem's getAddress. */
export function checksumAddress(address: string): Address {
  const key = address.toLowerCase();
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= LIMIT) cache.clear();
    value = getAddress(key);
    cache.set(key, value);
  }
  return value;
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRentedOut, useRightOf, type TokenHolding } from "./use-right.ts";

const owner = "0x1111111111111111111111111111111111111111";
const renter = "0x2222222222222222222222222222222222222222";
const stranger = "0x3333333333333333333333333333333333333333";
const now = 1_000n;

const held: TokenHolding = { owner, user: null, userExpires: null };
const rented: TokenHolding = { owner, user: renter, userExpires: now + 60n };
const expired: TokenHolding = { owner, user: renter, userExpires: now - 1n };

describe("useRightOf", () => {
  it("lets the owner use a token that is not rented out", () => {
    assert.equal(useRightOf(owner, held, now), "owner");
  });

  it("lets the renter, not the owner, use a token during its rental", () => {
    assert.equal(useRightOf(renter, rented, now), "renter");
    assert.equal(useRightOf(owner, rented, now), null);
  });

  it("counts the expiry second itself as part of the rental, as the contract's userOf does", () => {
    assert.equal(useRightOf(renter, { ...rented, userExpires: now }, now), "renter");
    assert.equal(useRightOf(renter, { ...rented, userExpires: now }, now + 1n), null);
  });

  it("gives the token back to its owner once the rental has ended", () => {
    assert.equal(useRightOf(renter, expired, now), null);
    assert.equal(useRightOf(owner, expired, now), "owner");
  });

  it("refuses a stranger", () => {
    for (const holding of [held, rented, expired]) assert.equal(useRightOf(stranger, holding, now), null);
  });

  it("compares addresses without regard to case", () => {
    assert.equal(useRightOf(owner.toUpperCase().replace("0X", "0x"), held, now), "owner");
  });

  it("treats an owner renting to itself as the owner", () => {
    assert.equal(useRightOf(owner, { owner, user: owner, userExpires: now + 5n }, now), "owner");
  });
});

describe("isRentedOut", () => {
  it("is false without a user and after expiry, true before", () => {
    assert.equal(isRentedOut(held, now), false);
    assert.equal(isRentedOut(expired, now), false);
    assert.equal(isRentedOut(rented, now), true);
  });
});

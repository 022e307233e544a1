import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { getAddress } from "viem";
import { ROLES, ZERO_ADDRESS } from "./helpers/contracts.ts";
import type { RentalFixture } from "./helpers/fixtures.ts";
import { ONE_DAY, cardRentalFixture, landRentalFixture } from "./helpers/fixtures.ts";

const { networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

/** A fixture with alice's token rented to bob for a day. */
async function rented(fixture: (connection: NetworkConnection) => Promise<RentalFixture>) {
  const f = await loadFixture(fixture);
  const expires = (await f.now()) + ONE_DAY;
  await f.token.write.setUser([f.tokenId, f.actors.bob.account.address, expires], {
    account: f.actors.alice.account,
  });
  return { ...f, expires };
}

// The same ERC-4907 rules hold for cards and lands: both inherit ERC4907Protected through GameNFT.
for (const [tokenName, fixture] of [
  ["HarvestCard", cardRentalFixture],
  ["HarvestLand", landRentalFixture],
] as const) {
  describe(`${tokenName} rentals (ERC-4907, renter protected)`, () => {
    describe("starting a rental", () => {
      it("lets the owner set a user until an expiry, emitting UpdateUser", async () => {
        const { viem, token, tokenId, actors, now } = await loadFixture(fixture);
        assert.equal(await token.read.userOf([tokenId]), ZERO_ADDRESS);
        assert.equal(await token.read.userExpires([tokenId]), 0n);
        assert.equal(await token.read.isRented([tokenId]), false);

        const expires = (await now()) + ONE_DAY;
        await viem.assertions.emitWithArgs(
          token.write.setUser([tokenId, actors.bob.account.address, expires], { account: actors.alice.account }),
          token,
          "UpdateUser",
          [tokenId, actors.bob.account.address, expires],
        );
        assert.equal(await token.read.userOf([tokenId]), getAddress(actors.bob.account.address));
        assert.equal(await token.read.userExpires([tokenId]), expires);
        assert.equal(await token.read.isRented([tokenId]), true);
        // The owner keeps ownership.
        assert.equal(await token.read.ownerOf([tokenId]), getAddress(actors.alice.account.address));
      });

      it("lets an approved account or an operator of the owner start a rental", async () => {
        const { token, tokenId, actors, now, mintTo } = await loadFixture(fixture);
        const { alice, bob, carol, stranger } = actors;
        await token.write.approve([carol.account.address, tokenId], { account: alice.account });
        const expires = (await now()) + ONE_DAY;
        await token.write.setUser([tokenId, bob.account.address, expires], { account: carol.account });
        assert.equal(await token.read.userOf([tokenId]), getAddress(bob.account.address));

        const second = await mintTo(alice.account.address);
        await token.write.setApprovalForAll([stranger.account.address, true], { account: alice.account });
        await token.write.setUser([second, carol.account.address, expires], { account: stranger.account });
        assert.equal(await token.read.userOf([second]), getAddress(carol.account.address));
      });

      it("refuses a rental from an account that is neither owner nor approved (ERC721InsufficientApproval)", async () => {
        const { viem, token, tokenId, actors, now } = await loadFixture(fixture);
        const { stranger, operator } = actors;
        const expires = (await now()) + ONE_DAY;
        for (const account of [stranger.account, operator.account]) {
          // Not even the rental operator may start a rental it was not approved for.
          await viem.assertions.revertWithCustomErrorWithArgs(
            token.write.setUser([tokenId, account.address, expires], { account }),
            token,
            "ERC721InsufficientApproval",
            [getAddress(account.address), tokenId],
          );
        }
      });

      it("refuses a rental of a token that does not exist (ERC721NonexistentToken)", async () => {
        const { viem, token, actors, now } = await loadFixture(fixture);
        await viem.assertions.revertWithCustomErrorWithArgs(
          token.write.setUser([123_456_789n, actors.bob.account.address, (await now()) + ONE_DAY]),
          token,
          "ERC721NonexistentToken",
          [123_456_789n],
        );
      });

      it("refuses a user whose expiry is already in the past (ERC4907InvalidExpiry)", async () => {
        const { viem, token, tokenId, actors, now, connection } = await loadFixture(fixture);
        const past = (await now()) - 1n;
        await viem.assertions.revertWithCustomErrorWithArgs(
          token.write.setUser([tokenId, actors.bob.account.address, past], { account: actors.alice.account }),
          token,
          "ERC4907InvalidExpiry",
          [past],
        );
        await viem.assertions.revertWithCustomErrorWithArgs(
          token.write.setUser([tokenId, actors.bob.account.address, 0n], { account: actors.alice.account }),
          token,
          "ERC4907InvalidExpiry",
          [0n],
        );
        // An expiry equal to the block's timestamp is a rental for that second.
        const next = (await now()) + 10n;
        await connection.networkHelpers.time.setNextBlockTimestamp(next);
        await token.write.setUser([tokenId, actors.bob.account.address, next], { account: actors.alice.account });
        assert.equal(await token.read.userOf([tokenId]), getAddress(actors.bob.account.address));
      });

      it("stores no expiry when the user is cleared, whatever expiry was given", async () => {
        const { viem, token, tokenId, actors } = await loadFixture(fixture);
        await viem.assertions.emitWithArgs(
          token.write.setUser([tokenId, ZERO_ADDRESS, 99_999_999_999n], { account: actors.alice.account }),
          token,
          "UpdateUser",
          [tokenId, ZERO_ADDRESS, 0n],
        );
        assert.equal(await token.read.userExpires([tokenId]), 0n);
        assert.equal(await token.read.isRented([tokenId]), false);
      });
    });

    describe("while a rental is active", () => {
      it("refuses transfers by the owner, an approved account or an operator (ERC4907RentalActive)", async () => {
        const { viem, token, tokenId, actors, expires } = await rented(fixture);
        const { alice, bob, carol, stranger } = actors;
        await token.write.approve([carol.account.address, tokenId], { account: alice.account });
        await token.write.setApprovalForAll([stranger.account.address, true], { account: alice.account });
        const rentalActive = [tokenId, getAddress(bob.account.address), expires] as const;
        for (const account of [alice.account, carol.account, stranger.account]) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            token.write.transferFrom([alice.account.address, carol.account.address, tokenId], { account }),
            token,
            "ERC4907RentalActive",
            [...rentalActive],
          );
          await viem.assertions.revertWithCustomErrorWithArgs(
            token.write.safeTransferFrom([alice.account.address, carol.account.address, tokenId], { account }),
            token,
            "ERC4907RentalActive",
            [...rentalActive],
          );
          await viem.assertions.revertWithCustomErrorWithArgs(
            token.write.safeTransferFrom([alice.account.address, carol.account.address, tokenId, "0x"], { account }),
            token,
            "ERC4907RentalActive",
            [...rentalActive],
          );
        }
        // Nor can the renter take the token.
        await viem.assertions.revertWithCustomErrorWithArgs(
          token.write.transferFrom([alice.account.address, bob.account.address, tokenId], { account: bob.account }),
          token,
          "ERC4907RentalActive",
          [...rentalActive],
        );
        assert.equal(await token.read.ownerOf([tokenId]), getAddress(alice.account.address));
      });

      it("refuses the owner or an approved account changing, clearing or shortening the user", async () => {
        const { viem, token, tokenId, actors, expires } = await rented(fixture);
        const { alice, bob, carol } = actors;
        await token.write.approve([carol.account.address, tokenId], { account: alice.account });
        const rentalActive = [tokenId, getAddress(bob.account.address), expires] as const;
        const attempts = [
          [carol.account.address, expires],
          [ZERO_ADDRESS, 0n],
          [bob.account.address, expires - 100n],
          [alice.account.address, expires + ONE_DAY],
        ] as const;
        for (const account of [alice.account, carol.account]) {
          for (const [user, until] of attempts) {
            await viem.assertions.revertWithCustomErrorWithArgs(
              token.write.setUser([tokenId, user, until], { account }),
              token,
              "ERC4907RentalActive",
              [...rentalActive],
            );
          }
        }
        assert.equal(await token.read.userOf([tokenId]), getAddress(bob.account.address));
        assert.equal(await token.read.userExpires([tokenId]), expires);
      });

      it("refuses the renter passing the rental to someone else or extending it", async () => {
        const { viem, token, tokenId, actors, expires } = await rented(fixture);
        const { bob, carol } = actors;
        for (const [user, until] of [
          [carol.account.address, expires],
          [bob.account.address, expires + ONE_DAY],
        ] as const) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            token.write.setUser([tokenId, user, until], { account: bob.account }),
            token,
            "ERC4907RentalActive",
            [tokenId, getAddress(bob.account.address), expires],
          );
        }
      });

      it("lets the rental operator change the user or the expiry", async () => {
        const { viem, token, tokenId, actors, expires } = await rented(fixture);
        const { carol, operator } = actors;
        assert.equal(await token.read.hasRole([ROLES.RENTAL_OPERATOR, operator.account.address]), true);
        const later = expires + ONE_DAY;
        await viem.assertions.emitWithArgs(
          token.write.setUser([tokenId, carol.account.address, later], { account: operator.account }),
          token,
          "UpdateUser",
          [tokenId, carol.account.address, later],
        );
        assert.equal(await token.read.userOf([tokenId]), getAddress(carol.account.address));
        assert.equal(await token.read.userExpires([tokenId]), later);
        // An operator still cannot set a user whose period has already ended.
        await viem.assertions.revertWithCustomError(
          token.write.setUser([tokenId, carol.account.address, 1n], { account: operator.account }),
          token,
          "ERC4907InvalidExpiry",
        );
        // And it may end the rental.
        await token.write.setUser([tokenId, ZERO_ADDRESS, 0n], { account: operator.account });
        assert.equal(await token.read.isRented([tokenId]), false);
      });

      it("lets the renter give the token back early, after which the owner may transfer it", async () => {
        const { viem, token, tokenId, actors } = await rented(fixture);
        const { alice, bob, carol } = actors;
        await viem.assertions.emitWithArgs(
          token.write.setUser([tokenId, ZERO_ADDRESS, 0n], { account: bob.account }),
          token,
          "UpdateUser",
          [tokenId, ZERO_ADDRESS, 0n],
        );
        assert.equal(await token.read.userOf([tokenId]), ZERO_ADDRESS);
        assert.equal(await token.read.isRented([tokenId]), false);
        await token.write.transferFrom([alice.account.address, carol.account.address, tokenId], {
          account: alice.account,
        });
        assert.equal(await token.read.ownerOf([tokenId]), getAddress(carol.account.address));
      });

      it("keeps the renter as user through the expiry second, and no longer one second later", async () => {
        const { token, tokenId, actors, expires, connection } = await rented(fixture);
        const { time } = connection.networkHelpers;
        await time.increaseTo(expires);
        assert.equal(await token.read.userOf([tokenId]), getAddress(actors.bob.account.address));
        assert.equal(await token.read.userExpires([tokenId]), expires);
        assert.equal(await token.read.isRented([tokenId]), true);
        await time.increaseTo(expires + 1n);
        assert.equal(await token.read.userOf([tokenId]), ZERO_ADDRESS);
        assert.equal(await token.read.userExpires([tokenId]), 0n);
        assert.equal(await token.read.isRented([tokenId]), false);
      });

      it("stops the renter giving back early while paused (EnforcedPause)", async () => {
        const { viem, token, tokenId, actors, now } = await rented(fixture);
        await token.write.pause();
        await viem.assertions.revertWithCustomError(
          token.write.setUser([tokenId, ZERO_ADDRESS, 0n], { account: actors.bob.account }),
          token,
          "EnforcedPause",
        );
        await viem.assertions.revertWithCustomError(
          token.write.setUser([tokenId, actors.carol.account.address, (await now()) + ONE_DAY], {
            account: actors.operator.account,
          }),
          token,
          "EnforcedPause",
        );
        await token.write.unpause();
        await token.write.setUser([tokenId, ZERO_ADDRESS, 0n], { account: actors.bob.account });
      });
    });

    describe("after the rental has ended", () => {
      it("clears the stale user on the next transfer, emitting UpdateUser(id, 0, 0)", async () => {
        const { viem, token, tokenId, actors, expires, connection, now } = await rented(fixture);
        const { alice, carol } = actors;
        await connection.networkHelpers.time.increaseTo(expires + 1n);
        const hash = await token.write.transferFrom([alice.account.address, carol.account.address, tokenId], {
          account: alice.account,
        });
        await viem.assertions.emitWithArgs(hash, token, "UpdateUser", [tokenId, ZERO_ADDRESS, 0n]);
        await viem.assertions.emitWithArgs(hash, token, "Transfer", [
          alice.account.address,
          carol.account.address,
          tokenId,
        ]);
        assert.equal(await token.read.ownerOf([tokenId]), getAddress(carol.account.address));
        assert.equal(await token.read.userOf([tokenId]), ZERO_ADDRESS);
        assert.equal(await token.read.userExpires([tokenId]), 0n);
        // The new owner may rent it out at once.
        await token.write.setUser([tokenId, alice.account.address, (await now()) + ONE_DAY], {
          account: carol.account,
        });
        assert.equal(await token.read.userOf([tokenId]), getAddress(alice.account.address));
      });

      it("emits no UpdateUser on a transfer of a token that never had a user", async () => {
        const { viem, token, tokenId, actors } = await loadFixture(fixture);
        const { alice, carol } = actors;
        const hash = await token.write.transferFrom([alice.account.address, carol.account.address, tokenId], {
          account: alice.account,
        });
        const receipt = await (await viem.getPublicClient()).getTransactionReceipt({ hash });
        assert.equal(receipt.logs.length, 1, "only Transfer");
        await viem.assertions.emitWithArgs(hash, token, "Transfer", [
          alice.account.address,
          carol.account.address,
          tokenId,
        ]);
      });

      it("lets the owner start a new rental over the expired one without transferring", async () => {
        const { viem, token, tokenId, actors, expires, connection } = await rented(fixture);
        await connection.networkHelpers.time.increaseTo(expires + 1n);
        const next = expires + ONE_DAY;
        await viem.assertions.emitWithArgs(
          token.write.setUser([tokenId, actors.carol.account.address, next], { account: actors.alice.account }),
          token,
          "UpdateUser",
          [tokenId, actors.carol.account.address, next],
        );
        assert.equal(await token.read.userOf([tokenId]), getAddress(actors.carol.account.address));
      });

      it("refuses the former renter touching an ended rental, while the owner may clear it", async () => {
        // With no active rental the ordinary ERC-721 authorization applies, and the former renter has none.
        const { viem, token, tokenId, actors, expires, connection } = await rented(fixture);
        await connection.networkHelpers.time.increaseTo(expires + 1n);
        await viem.assertions.revertWithCustomErrorWithArgs(
          token.write.setUser([tokenId, ZERO_ADDRESS, 0n], { account: actors.bob.account }),
          token,
          "ERC721InsufficientApproval",
          [getAddress(actors.bob.account.address), tokenId],
        );
        await token.write.setUser([tokenId, ZERO_ADDRESS, 0n], { account: actors.alice.account });
        assert.equal(await token.read.userOf([tokenId]), ZERO_ADDRESS);
      });
    });
  });
}

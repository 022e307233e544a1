import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import type { Hex, LocalAccount } from "viem";
import { getAddress, keccak256, toHex } from "viem";
import {
  INTERFACE_IDS,
  ROLES,
  ZERO_ADDRESS,
  deployBatchMinter,
  deployERC4907Reference,
  deployPlainERC721,
  deploySmartWallet,
  highSTwin,
  testAccount,
} from "./helpers/contracts.ts";
import { ONE_DAY, cardFixture, getActors } from "./helpers/fixtures.ts";

const { networkHelpers } = await network.create();

async function signHash(account: LocalAccount, hash: Hex): Promise<Hex> {
  if (account.sign === undefined) throw new Error("the account cannot sign raw hashes");
  return await account.sign({ hash });
}
const { loadFixture } = networkHelpers;

/** The gas baselines and the test-only smart wallet: small, but the gas report relies on them. */
async function referencesFixture({ viem }: NetworkConnection) {
  const actors = await getActors(viem);
  const plain = await deployPlainERC721(viem);
  const reference = await deployERC4907Reference(viem);
  const owner = testAccount("wallet owner");
  const wallet = await deploySmartWallet(viem, owner.address);
  return { viem, actors, plain, reference, owner, wallet };
}

describe("gas baselines and test helpers", () => {
  it("PlainERC721 mints and transfers like OpenZeppelin's ERC-721", async () => {
    const { plain, actors } = await loadFixture(referencesFixture);
    const { alice, bob } = actors;
    await plain.write.mint([alice.account.address, 1n]);
    await plain.write.transferFrom([alice.account.address, bob.account.address, 1n], { account: alice.account });
    assert.equal(await plain.read.ownerOf([1n]), getAddress(bob.account.address));
    assert.equal(await plain.read.name(), "Plain");
  });

  it("ERC4907Reference behaves as the EIP's reference: the owner may replace the user at any time", async () => {
    const { viem, reference, actors } = await loadFixture(referencesFixture);
    const { alice, bob, carol, stranger } = actors;
    await reference.write.mint([alice.account.address, 1n]);
    const now = BigInt(await networkHelpers.time.latest());
    await viem.assertions.emitWithArgs(
      reference.write.setUser([1n, bob.account.address, now + ONE_DAY], { account: alice.account }),
      reference,
      "UpdateUser",
      [1n, bob.account.address, now + ONE_DAY],
    );
    assert.equal(await reference.read.userOf([1n]), getAddress(bob.account.address));
    assert.equal(await reference.read.userExpires([1n]), now + ONE_DAY);
    // The weakness ERC4907Protected fixes: the owner takes the rental back mid-period.
    await reference.write.setUser([1n, carol.account.address, now + ONE_DAY], { account: alice.account });
    assert.equal(await reference.read.userOf([1n]), getAddress(carol.account.address));
    await viem.assertions.revertWith(
      reference.write.setUser([1n, stranger.account.address, now + ONE_DAY], { account: stranger.account }),
      "ERC4907: transfer caller is not owner nor approved",
    );
    // Every transfer clears the user.
    const hash = await reference.write.transferFrom([alice.account.address, bob.account.address, 1n], {
      account: alice.account,
    });
    await viem.assertions.emitWithArgs(hash, reference, "UpdateUser", [1n, ZERO_ADDRESS, 0n]);
    assert.equal(await reference.read.userOf([1n]), ZERO_ADDRESS);

    await reference.write.setUser([1n, carol.account.address, now + 10n], { account: bob.account });
    await networkHelpers.time.increaseTo(now + 11n);
    assert.equal(await reference.read.userOf([1n]), ZERO_ADDRESS);
    assert.equal(await reference.read.supportsInterface([INTERFACE_IDS.ERC4907]), true);
    assert.equal(await reference.read.supportsInterface([INTERFACE_IDS.ERC721]), true);
    assert.equal(await reference.read.supportsInterface([INTERFACE_IDS.ERC2981]), false);
  });

  it("SmartWallet accepts its owner's signatures only (ERC-1271) and receives ERC-721 tokens", async () => {
    const { wallet, owner, actors } = await loadFixture(referencesFixture);
    const hash = keccak256(toHex("a message"));
    const signature = await signHash(owner, hash);
    const magic = "0x1626ba7e";
    assert.equal(await wallet.read.owner(), owner.address);
    assert.equal(await wallet.read.isValidSignature([hash, signature]), magic);
    const refused: Hex[] = [
      await signHash(testAccount("someone else"), hash),
      highSTwin(signature),
      "0x",
    ];
    for (const bad of refused) {
      assert.equal(await wallet.read.isValidSignature([hash, bad]), "0x00000000");
    }
    assert.equal(await wallet.read.isValidSignature([keccak256(toHex("another")), signature]), "0x00000000");
    assert.equal(
      await wallet.read.onERC721Received([actors.alice.account.address, actors.bob.account.address, 1n, "0x"]),
      "0x150b7a02",
    );
  });

  it("BatchMinter mints cards to itself and deals them to players in turn, credited to the caller", async () => {
    const { viem, card, actors } = await loadFixture(cardFixture);
    const minter = await deployBatchMinter(viem, card.address);
    await viem.assertions.revertWithCustomErrorWithArgs(
      minter.write.mintAndDeal([1n, 1n, [actors.alice.account.address]]),
      card,
      "AccessControlUnauthorizedAccount",
      [getAddress(minter.address), ROLES.MINTER],
    );
    await card.write.grantRole([ROLES.MINTER, minter.address]);
    const players = [actors.alice.account.address, actors.bob.account.address];
    await minter.write.mintAndDeal([500n, 3n, players]);
    assert.equal(await card.read.ownerOf([500n]), getAddress(actors.alice.account.address));
    assert.equal(await card.read.ownerOf([501n]), getAddress(actors.bob.account.address));
    assert.equal(await card.read.ownerOf([502n]), getAddress(actors.alice.account.address));
    assert.equal((await card.read.cardRecord([501n])).crafter, getAddress(actors.admin.account.address));
    assert.equal(await card.read.balanceOf([minter.address]), 0n);
  });
});

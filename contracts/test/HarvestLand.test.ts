import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress } from "viem";
import { INTERFACE_IDS, ROLES, ZERO_ADDRESS, deployPlainERC721, deploySmartWallet } from "./helpers/contracts.ts";
import { LAND_BASE_URI, landFixture } from "./helpers/fixtures.ts";

const { networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

describe("HarvestLand", () => {
  describe("deployment", () => {
    it("names the token, starts empty and gives the admin the admin, minter and pauser roles", async () => {
      const { land, actors } = await loadFixture(landFixture);
      const admin = actors.admin.account.address;
      assert.equal(await land.read.name(), "Harvest Battles Land");
      assert.equal(await land.read.symbol(), "HBLAND");
      assert.equal(await land.read.totalMinted(), 0n);
      assert.equal(await land.read.hasRole([ROLES.DEFAULT_ADMIN, admin]), true);
      assert.equal(await land.read.hasRole([ROLES.MINTER, admin]), true);
      assert.equal(await land.read.hasRole([ROLES.PAUSER, admin]), true);
      assert.equal(await land.read.hasRole([ROLES.RENTAL_OPERATOR, admin]), false);
    });

    it("publishes its attribute bounds and trait codes", async () => {
      const { land } = await loadFixture(landFixture);
      assert.deepEqual(
        [
          await land.read.MIN_PLOTS(),
          await land.read.MAX_PLOTS(),
          await land.read.MIN_FERTILITY(),
          await land.read.MAX_FERTILITY(),
        ],
        [1, 16, 50, 200],
      );
      assert.deepEqual(
        [
          await land.read.TRAIT_NONE(),
          await land.read.TRAIT_GREENHOUSE(),
          await land.read.TRAIT_WORKSHOP(),
          await land.read.TRAIT_ORCHARD(),
          await land.read.TRAIT_WELLSPRING(),
          await land.read.MAX_TRAIT(),
        ],
        [0, 1, 2, 3, 4, 4],
      );
    });
  });

  describe("mint", () => {
    it("mints sequential ids from 1 with their attributes, emitting LandMinted and Transfer", async () => {
      const { viem, land, actors } = await loadFixture(landFixture);
      const bob = actors.bob.account.address;
      const { result } = await land.simulate.mint([bob, 4, 120, 1]);
      assert.equal(result, 1n);

      const first = await land.write.mint([bob, 4, 120, 1]);
      await viem.assertions.emitWithArgs(first, land, "LandMinted", [1n, bob, 4, 120, 1]);
      await viem.assertions.emitWithArgs(first, land, "Transfer", [ZERO_ADDRESS, bob, 1n]);
      const second = await land.write.mint([actors.carol.account.address, 16, 200, 4]);
      await viem.assertions.emitWithArgs(second, land, "LandMinted", [2n, actors.carol.account.address, 16, 200, 4]);

      assert.equal(await land.read.totalMinted(), 2n);
      assert.equal(await land.read.ownerOf([1n]), getAddress(bob));
      assert.equal(await land.read.ownerOf([2n]), getAddress(actors.carol.account.address));
      assert.deepEqual(await land.read.landAttributes([1n]), { plots: 4, fertility: 120, trait: 1 });
      assert.deepEqual(await land.read.landAttributes([2n]), { plots: 16, fertility: 200, trait: 4 });
    });

    it("accepts every attribute at the edges of its range", async () => {
      const { land, actors } = await loadFixture(landFixture);
      const to = actors.bob.account.address;
      const edges = [
        [1, 50, 0],
        [16, 200, 4],
        [1, 200, 0],
        [16, 50, 4],
      ] as const;
      for (const [plots, fertility, trait] of edges) {
        await land.write.mint([to, plots, fertility, trait]);
        const id = await land.read.totalMinted();
        assert.deepEqual(await land.read.landAttributes([id]), { plots, fertility, trait });
      }
    });

    it("refuses attributes outside their ranges (InvalidLandAttributes) and mints nothing", async () => {
      const { viem, land, actors } = await loadFixture(landFixture);
      const to = actors.bob.account.address;
      const invalid = [
        [0, 100, 0],
        [17, 100, 0],
        [255, 100, 0],
        [4, 49, 0],
        [4, 201, 0],
        [4, 0, 0],
        [4, 65_535, 0],
        [4, 100, 5],
        [4, 100, 255],
        [0, 0, 255],
      ] as const;
      for (const [plots, fertility, trait] of invalid) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          land.write.mint([to, plots, fertility, trait]),
          land,
          "InvalidLandAttributes",
          [plots, fertility, trait],
        );
      }
      assert.equal(await land.read.totalMinted(), 0n);
    });

    it("refuses accounts without the minter role (AccessControlUnauthorizedAccount)", async () => {
      const { viem, land, actors } = await loadFixture(landFixture);
      const bob = actors.bob.account;
      await viem.assertions.revertWithCustomErrorWithArgs(
        land.write.mint([bob.address, 4, 100, 0], { account: bob }),
        land,
        "AccessControlUnauthorizedAccount",
        [getAddress(bob.address), ROLES.MINTER],
      );
      await land.write.grantRole([ROLES.MINTER, bob.address]);
      await land.write.mint([bob.address, 4, 100, 0], { account: bob });
      assert.equal(await land.read.balanceOf([bob.address]), 1n);
    });

    it("mints safely: to a receiving smart wallet, never to the zero address or a non-receiver", async () => {
      const { viem, land, actors } = await loadFixture(landFixture);
      const wallet = await deploySmartWallet(viem, actors.bob.account.address);
      await land.write.mint([wallet.address, 4, 100, 0]);
      assert.equal(await land.read.ownerOf([1n]), getAddress(wallet.address));

      await viem.assertions.revertWithCustomErrorWithArgs(
        land.write.mint([ZERO_ADDRESS, 4, 100, 0]),
        land,
        "ERC721InvalidReceiver",
        [ZERO_ADDRESS],
      );
      const plain = await deployPlainERC721(viem);
      await viem.assertions.revertWithCustomErrorWithArgs(
        land.write.mint([plain.address, 4, 100, 0]),
        land,
        "ERC721InvalidReceiver",
        [getAddress(plain.address)],
      );
      assert.equal(await land.read.totalMinted(), 1n);
    });

    it("has no attributes for a land that was never minted (ERC721NonexistentToken)", async () => {
      const { viem, land } = await loadFixture(landFixture);
      for (const id of [0n, 1n]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          land.read.landAttributes([id]),
          land,
          "ERC721NonexistentToken",
          [id],
        );
      }
    });
  });

  describe("pause", () => {
    it("stops mints and user changes until unpaused, but not transfers", async () => {
      const { viem, land, actors } = await loadFixture(landFixture);
      const alice = actors.alice.account;
      await land.write.mint([alice.address, 4, 100, 0]);
      await viem.assertions.emitWithArgs(land.write.pause(), land, "Paused", [actors.admin.account.address]);

      await viem.assertions.revertWithCustomError(land.write.mint([alice.address, 4, 100, 0]), land, "EnforcedPause");
      await viem.assertions.revertWithCustomError(
        land.write.setUser([1n, actors.bob.account.address, 99_999_999_999n], { account: alice }),
        land,
        "EnforcedPause",
      );
      await land.write.transferFrom([alice.address, actors.bob.account.address, 1n], { account: alice });
      assert.equal(await land.read.ownerOf([1n]), getAddress(actors.bob.account.address));
      await viem.assertions.revertWithCustomErrorWithArgs(
        land.write.unpause({ account: alice }),
        land,
        "AccessControlUnauthorizedAccount",
        [getAddress(alice.address), ROLES.PAUSER],
      );

      await viem.assertions.emitWithArgs(land.write.unpause(), land, "Unpaused", [actors.admin.account.address]);
      await land.write.setUser([1n, alice.address, 99_999_999_999n], { account: actors.bob.account });
      await land.write.mint([alice.address, 4, 100, 0]);
      assert.equal(await land.read.totalMinted(), 2n);
    });
  });

  describe("metadata and interfaces", () => {
    it("builds token URIs from the base URI, which only the admin may change (BaseURIUpdated)", async () => {
      const { viem, land, actors } = await loadFixture(landFixture);
      await land.write.mint([actors.bob.account.address, 4, 100, 0]);
      assert.equal(await land.read.tokenURI([1n]), `${LAND_BASE_URI}1`);
      await viem.assertions.emitWithArgs(land.write.setBaseURI(["https://lands.example/"]), land, "BaseURIUpdated", [
        "https://lands.example/",
      ]);
      assert.equal(await land.read.tokenURI([1n]), "https://lands.example/1");
      await viem.assertions.revertWithCustomErrorWithArgs(
        land.write.setBaseURI([""], { account: actors.bob.account }),
        land,
        "AccessControlUnauthorizedAccount",
        [getAddress(actors.bob.account.address), ROLES.DEFAULT_ADMIN],
      );
    });

    it("supports ERC-165, ERC-721, ERC-721 metadata, ERC-4907 and AccessControl, but not ERC-2981", async () => {
      const { land } = await loadFixture(landFixture);
      const { ERC2981, ...supported } = INTERFACE_IDS;
      for (const [name, id] of Object.entries(supported)) {
        assert.equal(await land.read.supportsInterface([id]), true, name);
      }
      assert.equal(await land.read.supportsInterface([ERC2981]), false);
      assert.equal(await land.read.supportsInterface(["0xffffffff"]), false);
    });
  });
});

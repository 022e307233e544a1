import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress } from "viem";
import harvestBattlesModule from "../ignition/modules/HarvestBattles.ts";
import { ROLES, ZERO_ADDRESS, asHarvestCard, asHarvestLand, testAccount } from "./helpers/contracts.ts";
import { getActors } from "./helpers/fixtures.ts";

describe("Ignition module HarvestBattles", () => {
  it("deploys the card and land with the given parameters, wired to the admin, signer and treasury", async () => {
    const { ignition, viem } = await network.create();
    const { admin, treasury, bob } = await getActors(viem);
    const signer = testAccount("ignition voucher signer");
    const deployed = await ignition.deploy(harvestBattlesModule, {
      parameters: {
        HarvestBattles: {
          admin: admin.account.address,
          voucherSigner: signer.address,
          treasury: treasury.account.address,
          creatorRoyaltyBps: 400,
          gameRoyaltyBps: 100,
          cardBaseURI: "https://game.example/cards/",
          landBaseURI: "https://game.example/lands/",
        },
      },
    });
    const card = asHarvestCard(deployed.card);
    const land = asHarvestLand(deployed.land);

    assert.equal(await card.read.symbol(), "HBCARD");
    assert.equal(await land.read.symbol(), "HBLAND");
    assert.equal(await card.read.voucherSigner(), signer.address);
    assert.deepEqual(await card.read.royaltyConfig(), [getAddress(treasury.account.address), 400, 100]);
    for (const token of [card, land]) {
      for (const role of [ROLES.DEFAULT_ADMIN, ROLES.MINTER, ROLES.PAUSER]) {
        assert.equal(await token.read.hasRole([role, admin.account.address]), true);
      }
    }
    await card.write.mint([bob.account.address, 77n, 1n, `0x${"ab".repeat(32)}`, ZERO_ADDRESS]);
    assert.equal(await card.read.tokenURI([77n]), "https://game.example/cards/77");
    await land.write.mint([bob.account.address, 2, 100, 0]);
    assert.equal(await land.read.tokenURI([1n]), "https://game.example/lands/1");
  });

  it("defaults the admin, voucher signer and treasury to the deployer, with 5% + 2.5% royalties", async () => {
    const { ignition, viem } = await network.create();
    const { admin: deployer } = await getActors(viem);
    const deployed = await ignition.deploy(harvestBattlesModule);
    const card = asHarvestCard(deployed.card);
    const land = asHarvestLand(deployed.land);
    const me = getAddress(deployer.account.address);
    assert.equal(await card.read.voucherSigner(), me);
    assert.deepEqual(await card.read.royaltyConfig(), [me, 500, 250]);
    assert.equal(await land.read.hasRole([ROLES.DEFAULT_ADMIN, me]), true);
    // Nobody is a rental operator until the admin names the marketplace.
    assert.equal(await card.read.hasRole([ROLES.RENTAL_OPERATOR, me]), false);
  });
});

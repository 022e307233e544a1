import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { Hex } from "viem";
import { getAddress, slice } from "viem";
import type { MintVoucher } from "./helpers/contracts.ts";
import {
  INTERFACE_IDS,
  ROLES,
  ZERO_ADDRESS,
  asHarvestCard,
  cardConstructorArgs,
  cardDomain,
  deployHarvestCard,
  deployPlainERC721,
  deployReentrantReceiver,
  deploySmartWallet,
  highSTwin,
  testAccount,
  voucherDigest,
  voucherNonceUsedData,
} from "./helpers/contracts.ts";
import {
  CARD_BASE_URI,
  CREATOR_ROYALTY_BPS,
  GAME_ROYALTY_BPS,
  attributes,
  cardFixture,
  unique,
} from "./helpers/fixtures.ts";

const { networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

describe("HarvestCard", () => {
  describe("deployment", () => {
    it("names the token and gives the admin the admin, minter and pauser roles only", async () => {
      const { card, actors, signer } = await loadFixture(cardFixture);
      const admin = actors.admin.account.address;
      assert.equal(await card.read.name(), "Harvest Battles Card");
      assert.equal(await card.read.symbol(), "HBCARD");
      assert.equal(await card.read.hasRole([ROLES.DEFAULT_ADMIN, admin]), true);
      assert.equal(await card.read.hasRole([ROLES.MINTER, admin]), true);
      assert.equal(await card.read.hasRole([ROLES.PAUSER, admin]), true);
      assert.equal(await card.read.hasRole([ROLES.RENTAL_OPERATOR, admin]), false);
      assert.equal(await card.read.MINTER_ROLE(), ROLES.MINTER);
      assert.equal(await card.read.PAUSER_ROLE(), ROLES.PAUSER);
      assert.equal(await card.read.RENTAL_OPERATOR_ROLE(), ROLES.RENTAL_OPERATOR);
      assert.equal(await card.read.DEFAULT_ADMIN_ROLE(), ROLES.DEFAULT_ADMIN);
      assert.equal(await card.read.getRoleAdmin([ROLES.MINTER]), ROLES.DEFAULT_ADMIN);
      assert.equal(await card.read.voucherSigner(), signer.address);
      assert.deepEqual(await card.read.royaltyConfig(), [
        getAddress(actors.treasury.account.address),
        CREATOR_ROYALTY_BPS,
        GAME_ROYALTY_BPS,
      ]);
      assert.equal(await card.read.MAX_TOTAL_ROYALTY_BPS(), 1_000);
      assert.equal(await card.read.paused(), false);
    });

    it("announces its voucher signer and royalties when deployed", async () => {
      const { viem, actors, signer } = await loadFixture(cardFixture);
      const { contract, deploymentTransaction } = await viem.sendDeploymentTransaction(
        "HarvestCard",
        cardConstructorArgs({
          admin: actors.admin.account.address,
          voucherSigner: signer.address,
          treasury: actors.treasury.account.address,
          creatorRoyaltyBps: 300,
          gameRoyaltyBps: 200,
          baseURI: "",
        }),
      );
      const card = asHarvestCard(contract);
      await viem.assertions.emitWithArgs(deploymentTransaction.hash, card, "VoucherSignerUpdated", [
        ZERO_ADDRESS,
        signer.address,
      ]);
      await viem.assertions.emitWithArgs(deploymentTransaction.hash, card, "RoyaltiesUpdated", [
        actors.treasury.account.address,
        300,
        200,
      ]);
    });

    it("refuses a zero voucher signer, a zero treasury or royalties above 10%", async () => {
      const { viem, card, actors, signer } = await loadFixture(cardFixture);
      const good = {
        admin: actors.admin.account.address,
        voucherSigner: signer.address,
        treasury: actors.treasury.account.address,
        creatorRoyaltyBps: 500,
        gameRoyaltyBps: 500,
        baseURI: "",
      };
      await viem.assertions.revertWithCustomError(
        deployHarvestCard(viem, { ...good, voucherSigner: ZERO_ADDRESS }),
        card,
        "ZeroAddress",
      );
      await viem.assertions.revertWithCustomError(
        deployHarvestCard(viem, { ...good, treasury: ZERO_ADDRESS }),
        card,
        "ZeroAddress",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        deployHarvestCard(viem, { ...good, gameRoyaltyBps: 501 }),
        card,
        "RoyaltyTooHigh",
        [1_001n],
      );
      // Exactly 10% is allowed.
      const atCap = await deployHarvestCard(viem, good);
      assert.deepEqual((await atCap.read.royaltyConfig()).slice(1), [500, 500]);
    });
  });

  describe("mintWithVoucher", () => {
    it("mints the card to its recipient with its record, and emits VoucherRedeemed, CardMinted and Transfer", async () => {
      const { viem, card, actors, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher({ recipeId: 42n });
      const signature = await sign(v);
      assert.equal(await card.read.isNonceUsed([v.nonce]), false);
      const { result } = await card.simulate.mintWithVoucher([v, signature]);
      assert.equal(result, v.cardId);

      const hash = await card.write.mintWithVoucher([v, signature]);
      await viem.assertions.emitWithArgs(hash, card, "VoucherRedeemed", [v.nonce, v.cardId]);
      await viem.assertions.emitWithArgs(hash, card, "CardMinted", [
        v.cardId,
        v.recipient,
        v.crafter,
        42n,
        1,
        v.attributesHash,
      ]);
      await viem.assertions.emitWithArgs(hash, card, "Transfer", [ZERO_ADDRESS, v.recipient, v.cardId]);

      assert.equal(await card.read.ownerOf([v.cardId]), getAddress(actors.alice.account.address));
      assert.equal(await card.read.balanceOf([actors.alice.account.address]), 1n);
      assert.equal(await card.read.isNonceUsed([v.nonce]), true);
      assert.deepEqual(await card.read.cardRecord([v.cardId]), {
        crafter: getAddress(v.crafter),
        recipeId: 42n,
        edition: 1,
        attributesHash: v.attributesHash,
      });
    });

    it("lets a relayer submit the voucher while the card goes to the recipient", async () => {
      const { card, actors, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher({ recipient: actors.bob.account.address });
      await card.write.mintWithVoucher([v, await sign(v)], { account: actors.relayer.account });
      assert.equal(await card.read.ownerOf([v.cardId]), getAddress(actors.bob.account.address));
      assert.equal(await card.read.balanceOf([actors.relayer.account.address]), 0n);
    });

    it("hashes a voucher as EIP-712 typed data bound to this contract and chain", async () => {
      const { card, domain, voucher } = await loadFixture(cardFixture);
      const v = await voucher();
      assert.equal(await card.read.hashVoucher([v]), voucherDigest(domain, v));
      const eip712Domain = await card.read.eip712Domain();
      assert.equal(eip712Domain[1], "HarvestCard");
      assert.equal(eip712Domain[2], "1");
      assert.equal(eip712Domain[3], BigInt(domain.chainId ?? 0));
      assert.equal(eip712Domain[4], getAddress(card.address));
    });

    it("refuses the same voucher twice (VoucherNonceUsed)", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher();
      const signature = await sign(v);
      await card.write.mintWithVoucher([v, signature]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mintWithVoucher([v, signature]),
        card,
        "VoucherNonceUsed",
        [v.nonce],
      );
    });

    it("refuses a correctly signed voucher for another card that reuses a spent nonce", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const first = await voucher();
      await card.write.mintWithVoucher([first, await sign(first)]);
      const second = await voucher({ nonce: first.nonce });
      assert.notEqual(second.cardId, first.cardId);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mintWithVoucher([second, await sign(second)]),
        card,
        "VoucherNonceUsed",
        [first.nonce],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.read.ownerOf([second.cardId]),
        card,
        "ERC721NonexistentToken",
        [second.cardId],
      );
    });

    it("accepts a voucher in its deadline second and refuses it one second later (VoucherExpired)", async () => {
      const { viem, card, voucher, sign, connection } = await loadFixture(cardFixture);
      const { time } = connection.networkHelpers;
      const onTime = await voucher();
      await time.setNextBlockTimestamp(onTime.deadline);
      await card.write.mintWithVoucher([onTime, await sign(onTime)]);

      const late = await voucher();
      await time.setNextBlockTimestamp(late.deadline + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mintWithVoucher([late, await sign(late)]),
        card,
        "VoucherExpired",
        [late.deadline],
      );
    });

    it("refuses an expired voucher before looking at its nonce or signature", async () => {
      const { viem, card, voucher } = await loadFixture(cardFixture);
      const v = await voucher({ deadline: 1n });
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mintWithVoucher([v, "0x"]),
        card,
        "VoucherExpired",
        [1n],
      );
    });

    it("refuses a voucher signed by a key that is not the voucher signer (VoucherInvalidSignature)", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher();
      await viem.assertions.revertWithCustomError(
        card.write.mintWithVoucher([v, await sign(v, testAccount("impostor"))]),
        card,
        "VoucherInvalidSignature",
      );
      assert.equal(await card.read.isNonceUsed([v.nonce]), false);
    });

    it("refuses a voucher signed for another chain id", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher();
      const otherChain = cardDomain(1, card.address);
      await viem.assertions.revertWithCustomError(
        card.write.mintWithVoucher([v, await sign(v, undefined, otherChain)]),
        card,
        "VoucherInvalidSignature",
      );
    });

    it("refuses a voucher signed for another HarvestCard deployment", async () => {
      const { viem, card, actors, signer, chainId, voucher, sign } = await loadFixture(cardFixture);
      const other = await deployHarvestCard(viem, {
        admin: actors.admin.account.address,
        voucherSigner: signer.address,
        treasury: actors.treasury.account.address,
        creatorRoyaltyBps: CREATOR_ROYALTY_BPS,
        gameRoyaltyBps: GAME_ROYALTY_BPS,
        baseURI: CARD_BASE_URI,
      });
      const v = await voucher();
      const forOther = await sign(v, undefined, cardDomain(chainId, other.address));
      await viem.assertions.revertWithCustomError(
        card.write.mintWithVoucher([v, forOther]),
        card,
        "VoucherInvalidSignature",
      );
      // The same signature is good where it was meant to go.
      await other.write.mintWithVoucher([v, forOther]);
      assert.equal(await other.read.ownerOf([v.cardId]), getAddress(v.recipient));
    });

    it("refuses a voucher whose fields were changed after signing", async () => {
      const { viem, card, actors, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher();
      const signature = await sign(v);
      const tampered: Array<[string, MintVoucher]> = [
        ["cardId", { ...v, cardId: v.cardId + 1n }],
        ["recipeId", { ...v, recipeId: v.recipeId + 1n }],
        ["attributesHash", { ...v, attributesHash: attributes("legendary") }],
        ["crafter", { ...v, crafter: actors.bob.account.address }],
        ["recipient", { ...v, recipient: actors.bob.account.address }],
        ["nonce", { ...v, nonce: v.nonce + 1_000_000n }],
        ["deadline", { ...v, deadline: v.deadline + 1n }],
      ];
      for (const [field, changed] of tampered) {
        await viem.assertions.revertWithCustomError(
          card.write.mintWithVoucher([changed, signature]),
          card,
          "VoucherInvalidSignature",
        ).catch((error: unknown) => {
          throw new Error(`tampered ${field} was not refused`, { cause: error });
        });
      }
      // The untouched voucher still works.
      await card.write.mintWithVoucher([v, signature]);
    });

    it("refuses the high-s twin of a valid signature, and signatures of the wrong length", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher();
      const signature = await sign(v);
      const twin = highSTwin(signature);
      assert.notEqual(twin, signature);
      for (const bad of [twin, slice(signature, 0, 64), `${signature}00` as Hex, "0x" as Hex]) {
        await viem.assertions.revertWithCustomError(
          card.write.mintWithVoucher([v, bad]),
          card,
          "VoucherInvalidSignature",
        );
      }
      await card.write.mintWithVoucher([v, signature]);
      // Once redeemed, the twin is refused for the spent nonce, not as a new signature.
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mintWithVoucher([v, twin]),
        card,
        "VoucherNonceUsed",
        [v.nonce],
      );
    });

    it("stops accepting the previous signer's vouchers after a rotation, and accepts the new signer's", async () => {
      const { viem, card, signer, voucher, sign } = await loadFixture(cardFixture);
      const outstanding = await voucher();
      const oldSignature = await sign(outstanding);
      const next = testAccount("next voucher signer");

      await viem.assertions.emitWithArgs(card.write.setVoucherSigner([next.address]), card, "VoucherSignerUpdated", [
        signer.address,
        next.address,
      ]);
      assert.equal(await card.read.voucherSigner(), next.address);
      await viem.assertions.revertWithCustomError(
        card.write.mintWithVoucher([outstanding, oldSignature]),
        card,
        "VoucherInvalidSignature",
      );
      await card.write.mintWithVoucher([outstanding, await sign(outstanding, next)]);
      assert.equal(await card.read.ownerOf([outstanding.cardId]), getAddress(outstanding.recipient));
    });

    it("accepts vouchers from an ERC-1271 smart-wallet signer and refuses what its owner did not sign", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const owner = testAccount("smart wallet owner");
      const wallet = await deploySmartWallet(viem, owner.address);
      await card.write.setVoucherSigner([wallet.address]);

      const v = await voucher();
      await viem.assertions.revertWithCustomError(
        card.write.mintWithVoucher([v, await sign(v, testAccount("not the owner"))]),
        card,
        "VoucherInvalidSignature",
      );
      const signature = await sign(v, owner);
      await viem.assertions.revertWithCustomError(
        card.write.mintWithVoucher([v, highSTwin(signature)]),
        card,
        "VoucherInvalidSignature",
      );
      await viem.assertions.emitWithArgs(card.write.mintWithVoucher([v, signature]), card, "VoucherRedeemed", [
        v.nonce,
        v.cardId,
      ]);
    });

    it("marks the nonce used before the receiver callback, so a re-entering receiver cannot redeem twice", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const receiver = await deployReentrantReceiver(viem, card.address);
      const v = await voucher({ recipient: receiver.address });
      const signature = await sign(v);
      await receiver.write.arm([v, signature]);
      await card.write.mintWithVoucher([v, signature]);

      assert.equal(await receiver.read.reentryError(), voucherNonceUsedData(v.nonce));
      assert.equal(await card.read.balanceOf([receiver.address]), 1n);
      assert.equal(await card.read.editionCount([v.recipeId]), 1);
    });

    it("refuses a re-entering receiver that replays the nonce for a different card", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const receiver = await deployReentrantReceiver(viem, card.address);
      const v = await voucher({ recipient: receiver.address });
      const sibling = await voucher({ recipient: receiver.address, nonce: v.nonce });
      await receiver.write.arm([sibling, await sign(sibling)]);
      await card.write.mintWithVoucher([v, await sign(v)]);

      assert.equal(await receiver.read.reentryError(), voucherNonceUsedData(v.nonce));
      assert.equal(await card.read.balanceOf([receiver.address]), 1n);
    });

    it("lets a receiver that re-enters with a fresh voucher mint it (only the nonce is single-use)", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const receiver = await deployReentrantReceiver(viem, card.address);
      const v = await voucher({ recipient: receiver.address });
      const fresh = await voucher({ recipient: receiver.address });
      await receiver.write.arm([fresh, await sign(fresh)]);
      await card.write.mintWithVoucher([v, await sign(v)]);

      assert.equal(await receiver.read.reentryError(), "0x");
      assert.equal(await card.read.balanceOf([receiver.address]), 2n);
      assert.deepEqual(
        [(await card.read.cardRecord([v.cardId])).edition, (await card.read.cardRecord([fresh.cardId])).edition],
        [1, 2],
      );
    });

    it("refuses a voucher for a card id that already exists, and leaves its nonce unspent", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const first = await voucher();
      await card.write.mintWithVoucher([first, await sign(first)]);
      const duplicate = await voucher({ cardId: first.cardId });
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mintWithVoucher([duplicate, await sign(duplicate)]),
        card,
        "ERC721InvalidSender",
        [ZERO_ADDRESS],
      );
      assert.equal(await card.read.isNonceUsed([duplicate.nonce]), false);
    });

    it("refuses a recipient that is the zero address or a contract that cannot receive ERC-721 tokens", async () => {
      const { viem, card, voucher, sign } = await loadFixture(cardFixture);
      const toZero = await voucher({ recipient: ZERO_ADDRESS });
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mintWithVoucher([toZero, await sign(toZero)]),
        card,
        "ERC721InvalidReceiver",
        [ZERO_ADDRESS],
      );
      const notAReceiver = await deployPlainERC721(viem);
      const toContract = await voucher({ recipient: notAReceiver.address });
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mintWithVoucher([toContract, await sign(toContract)]),
        card,
        "ERC721InvalidReceiver",
        [notAReceiver.address],
      );
      assert.equal(await card.read.isNonceUsed([toContract.nonce]), false);
    });
  });

  describe("direct mint", () => {
    it("lets a minter mint a card with its record and CardMinted event", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      const id = unique();
      const hash = await card.write.mint([actors.bob.account.address, id, 3n, attributes("starter"), ZERO_ADDRESS]);
      await viem.assertions.emitWithArgs(hash, card, "CardMinted", [
        id,
        actors.bob.account.address,
        ZERO_ADDRESS,
        3n,
        1,
        attributes("starter"),
      ]);
      await viem.assertions.emitWithArgs(hash, card, "Transfer", [ZERO_ADDRESS, actors.bob.account.address, id]);
      assert.deepEqual(await card.read.cardRecord([id]), {
        crafter: ZERO_ADDRESS,
        recipeId: 3n,
        edition: 1,
        attributesHash: attributes("starter"),
      });
    });

    it("refuses accounts without the minter role (AccessControlUnauthorizedAccount)", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mint([actors.bob.account.address, unique(), 1n, attributes("x"), ZERO_ADDRESS], {
          account: actors.bob.account,
        }),
        card,
        "AccessControlUnauthorizedAccount",
        [getAddress(actors.bob.account.address), ROLES.MINTER],
      );
    });

    it("lets an account the admin made a minter mint, until the role is revoked", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      const minter = actors.carol;
      await viem.assertions.emitWithArgs(
        card.write.grantRole([ROLES.MINTER, minter.account.address]),
        card,
        "RoleGranted",
        [ROLES.MINTER, minter.account.address, actors.admin.account.address],
      );
      await card.write.mint([minter.account.address, unique(), 1n, attributes("a"), ZERO_ADDRESS], {
        account: minter.account,
      });
      await viem.assertions.emitWithArgs(
        card.write.revokeRole([ROLES.MINTER, minter.account.address]),
        card,
        "RoleRevoked",
        [ROLES.MINTER, minter.account.address, actors.admin.account.address],
      );
      await viem.assertions.revertWithCustomError(
        card.write.mint([minter.account.address, unique(), 1n, attributes("b"), ZERO_ADDRESS], {
          account: minter.account,
        }),
        card,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("refuses a token id that already exists", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      const id = unique();
      await card.write.mint([actors.bob.account.address, id, 1n, attributes("a"), ZERO_ADDRESS]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.mint([actors.carol.account.address, id, 1n, attributes("b"), ZERO_ADDRESS]),
        card,
        "ERC721InvalidSender",
        [ZERO_ADDRESS],
      );
    });
  });

  describe("editions and records", () => {
    it("numbers editions per recipe across voucher and direct mints", async () => {
      const { card, actors, voucher, sign } = await loadFixture(cardFixture);
      const recipeA = 100n;
      const recipeB = 200n;
      assert.equal(await card.read.editionCount([recipeA]), 0);

      const a1 = await voucher({ recipeId: recipeA });
      await card.write.mintWithVoucher([a1, await sign(a1)]);
      const b1 = await voucher({ recipeId: recipeB });
      await card.write.mintWithVoucher([b1, await sign(b1)]);
      const a2 = unique();
      await card.write.mint([actors.bob.account.address, a2, recipeA, attributes("a2"), actors.bob.account.address]);
      const a3 = await voucher({ recipeId: recipeA });
      await card.write.mintWithVoucher([a3, await sign(a3)]);

      assert.equal(await card.read.editionCount([recipeA]), 3);
      assert.equal(await card.read.editionCount([recipeB]), 1);
      assert.equal((await card.read.cardRecord([a1.cardId])).edition, 1);
      assert.equal((await card.read.cardRecord([b1.cardId])).edition, 1);
      assert.equal((await card.read.cardRecord([a2])).edition, 2);
      assert.equal((await card.read.cardRecord([a3.cardId])).edition, 3);
    });

    it("has no record for a card that was never minted (ERC721NonexistentToken)", async () => {
      const { viem, card } = await loadFixture(cardFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.read.cardRecord([999_999n]),
        card,
        "ERC721NonexistentToken",
        [999_999n],
      );
    });
  });

  describe("royalties", () => {
    it("pays the creator share of a sale to the crafter through ERC-2981", async () => {
      const { card, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher();
      await card.write.mintWithVoucher([v, await sign(v)]);
      assert.deepEqual(await card.read.royaltyInfo([v.cardId, 10_000n]), [getAddress(v.crafter), 500n]);
      // Rounds down.
      assert.deepEqual(await card.read.royaltyInfo([v.cardId, 19n]), [getAddress(v.crafter), 0n]);
      assert.deepEqual(await card.read.royaltyInfo([v.cardId, 1_000_000n]), [getAddress(v.crafter), 50_000n]);
    });

    it("splits a sale between the crafter (creator bps) and the treasury (game bps)", async () => {
      const { card, actors, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher();
      await card.write.mintWithVoucher([v, await sign(v)]);
      assert.deepEqual(await card.read.royaltySplit([v.cardId, 1_000_000n]), [
        getAddress(v.crafter),
        50_000n,
        getAddress(actors.treasury.account.address),
        25_000n,
      ]);
    });

    it("pays both shares of a card with no crafter to the treasury", async () => {
      const { card, actors } = await loadFixture(cardFixture);
      const id = unique();
      await card.write.mint([actors.bob.account.address, id, 1n, attributes("promo"), ZERO_ADDRESS]);
      const treasury = getAddress(actors.treasury.account.address);
      assert.deepEqual(await card.read.royaltyInfo([id, 1_000n]), [treasury, 50n]);
      assert.deepEqual(await card.read.royaltySplit([id, 1_000n]), [treasury, 50n, treasury, 25n]);
    });

    it("lets the admin change the treasury and shares, emitting RoyaltiesUpdated", async () => {
      const { viem, card, actors, voucher, sign } = await loadFixture(cardFixture);
      const v = await voucher();
      await card.write.mintWithVoucher([v, await sign(v)]);
      const newTreasury = actors.carol.account.address;
      await viem.assertions.emitWithArgs(card.write.setRoyalties([newTreasury, 700, 300]), card, "RoyaltiesUpdated", [
        newTreasury,
        700,
        300,
      ]);
      assert.deepEqual(await card.read.royaltyConfig(), [getAddress(newTreasury), 700, 300]);
      assert.deepEqual(await card.read.royaltySplit([v.cardId, 10_000n]), [
        getAddress(v.crafter),
        700n,
        getAddress(newTreasury),
        300n,
      ]);
      await card.write.setRoyalties([newTreasury, 0, 0]);
      assert.deepEqual(await card.read.royaltyInfo([v.cardId, 10_000n]), [getAddress(v.crafter), 0n]);
    });

    it("refuses shares that add up to more than 10% (RoyaltyTooHigh) and a zero treasury (ZeroAddress)", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      const treasury = actors.treasury.account.address;
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.setRoyalties([treasury, 1_001, 0]),
        card,
        "RoyaltyTooHigh",
        [1_001n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.setRoyalties([treasury, 600, 401]),
        card,
        "RoyaltyTooHigh",
        [1_001n],
      );
      // uint16 shares cannot overflow the check.
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.setRoyalties([treasury, 65_535, 65_535]),
        card,
        "RoyaltyTooHigh",
        [131_070n],
      );
      await viem.assertions.revertWithCustomError(card.write.setRoyalties([ZERO_ADDRESS, 0, 0]), card, "ZeroAddress");
    });

    it("refuses royalty changes from non-admins", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.setRoyalties([actors.bob.account.address, 0, 0], { account: actors.bob.account }),
        card,
        "AccessControlUnauthorizedAccount",
        [getAddress(actors.bob.account.address), ROLES.DEFAULT_ADMIN],
      );
    });
  });

  describe("administration", () => {
    it("refuses a zero voucher signer and signer changes from non-admins", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      await viem.assertions.revertWithCustomError(card.write.setVoucherSigner([ZERO_ADDRESS]), card, "ZeroAddress");
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.setVoucherSigner([actors.bob.account.address], { account: actors.bob.account }),
        card,
        "AccessControlUnauthorizedAccount",
        [getAddress(actors.bob.account.address), ROLES.DEFAULT_ADMIN],
      );
    });

    it("builds token URIs from the base URI, which the admin may change (BaseURIUpdated)", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      const id = unique();
      await card.write.mint([actors.bob.account.address, id, 1n, attributes("uri"), ZERO_ADDRESS]);
      assert.equal(await card.read.tokenURI([id]), `${CARD_BASE_URI}${id}`);

      await viem.assertions.emitWithArgs(card.write.setBaseURI(["https://cards.example/"]), card, "BaseURIUpdated", [
        "https://cards.example/",
      ]);
      assert.equal(await card.read.tokenURI([id]), `https://cards.example/${id}`);
      await card.write.setBaseURI([""]);
      assert.equal(await card.read.tokenURI([id]), "");

      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.setBaseURI(["https://evil.example/"], { account: actors.bob.account }),
        card,
        "AccessControlUnauthorizedAccount",
        [getAddress(actors.bob.account.address), ROLES.DEFAULT_ADMIN],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.read.tokenURI([id + 1n]),
        card,
        "ERC721NonexistentToken",
        [id + 1n],
      );
    });

    it("lets an account renounce its own role only", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      const admin = actors.admin.account.address;
      await viem.assertions.revertWithCustomError(
        card.write.renounceRole([ROLES.PAUSER, actors.bob.account.address]),
        card,
        "AccessControlBadConfirmation",
      );
      await card.write.renounceRole([ROLES.PAUSER, admin]);
      assert.equal(await card.read.hasRole([ROLES.PAUSER, admin]), false);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.pause(),
        card,
        "AccessControlUnauthorizedAccount",
        [getAddress(admin), ROLES.PAUSER],
      );
    });
  });

  describe("pause", () => {
    it("stops voucher mints, direct mints and user changes until unpaused, but not transfers", async () => {
      const { viem, card, actors, voucher, sign, now } = await loadFixture(cardFixture);
      const alice = actors.alice.account;
      const held = unique();
      await card.write.mint([alice.address, held, 1n, attributes("held"), ZERO_ADDRESS]);

      await viem.assertions.emitWithArgs(card.write.pause(), card, "Paused", [actors.admin.account.address]);
      assert.equal(await card.read.paused(), true);

      const v = await voucher();
      const signature = await sign(v);
      await viem.assertions.revertWithCustomError(card.write.mintWithVoucher([v, signature]), card, "EnforcedPause");
      await viem.assertions.revertWithCustomError(
        card.write.mint([alice.address, unique(), 1n, attributes("p"), ZERO_ADDRESS]),
        card,
        "EnforcedPause",
      );
      await viem.assertions.revertWithCustomError(
        card.write.setUser([held, actors.bob.account.address, (await now()) + 100n], { account: alice }),
        card,
        "EnforcedPause",
      );
      // Holders keep their tokens moving: the pause is an incident brake on mints and rentals only.
      await card.write.transferFrom([alice.address, actors.carol.account.address, held], { account: alice });
      assert.equal(await card.read.ownerOf([held]), getAddress(actors.carol.account.address));
      const carol = actors.carol.account;
      await card.write.approve([actors.bob.account.address, held], { account: carol });

      await viem.assertions.emitWithArgs(card.write.unpause(), card, "Unpaused", [actors.admin.account.address]);
      assert.equal(await card.read.paused(), false);
      await card.write.mintWithVoucher([v, signature]);
      await card.write.setUser([held, actors.bob.account.address, (await now()) + 100n], { account: carol });
      assert.equal(await card.read.userOf([held]), getAddress(actors.bob.account.address));
    });

    it("refuses to pause twice or unpause when running (EnforcedPause, ExpectedPause)", async () => {
      const { viem, card } = await loadFixture(cardFixture);
      await viem.assertions.revertWithCustomError(card.write.unpause(), card, "ExpectedPause");
      await card.write.pause();
      await viem.assertions.revertWithCustomError(card.write.pause(), card, "EnforcedPause");
    });

    it("lets only pausers pause and unpause", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      const bob = actors.bob.account;
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.pause({ account: bob }),
        card,
        "AccessControlUnauthorizedAccount",
        [getAddress(bob.address), ROLES.PAUSER],
      );
      await card.write.pause();
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.unpause({ account: bob }),
        card,
        "AccessControlUnauthorizedAccount",
        [getAddress(bob.address), ROLES.PAUSER],
      );
      await card.write.grantRole([ROLES.PAUSER, bob.address]);
      await card.write.unpause({ account: bob });
      assert.equal(await card.read.paused(), false);
    });
  });

  describe("ERC-721 and ERC-165", () => {
    it("keeps OpenZeppelin's ERC-721 errors for wrong owners, approvers, operators and receivers", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      const [alice, bob] = [actors.alice.account, actors.bob.account];
      const id = unique();
      await card.write.mint([alice.address, id, 1n, attributes("errors"), ZERO_ADDRESS]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.transferFrom([bob.address, alice.address, id], { account: alice }),
        card,
        "ERC721IncorrectOwner",
        [getAddress(bob.address), id, getAddress(alice.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.transferFrom([alice.address, ZERO_ADDRESS, id], { account: alice }),
        card,
        "ERC721InvalidReceiver",
        [ZERO_ADDRESS],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.approve([bob.address, id], { account: bob }),
        card,
        "ERC721InvalidApprover",
        [getAddress(bob.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.setApprovalForAll([ZERO_ADDRESS, true], { account: alice }),
        card,
        "ERC721InvalidOperator",
        [ZERO_ADDRESS],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.read.balanceOf([ZERO_ADDRESS]),
        card,
        "ERC721InvalidOwner",
        [ZERO_ADDRESS],
      );
    });

    it("supports ERC-165, ERC-721, ERC-721 metadata, ERC-2981, ERC-4907 and AccessControl", async () => {
      const { card } = await loadFixture(cardFixture);
      for (const [name, id] of Object.entries(INTERFACE_IDS)) {
        assert.equal(await card.read.supportsInterface([id]), true, name);
      }
      assert.equal(await card.read.supportsInterface(["0xffffffff"]), false);
      assert.equal(await card.read.supportsInterface(["0x12345678"]), false);
    });

    it("moves cards with approvals and safe transfers like any ERC-721", async () => {
      const { viem, card, actors } = await loadFixture(cardFixture);
      const [alice, bob, carol] = [actors.alice.account, actors.bob.account, actors.carol.account];
      const id = unique();
      await card.write.mint([alice.address, id, 1n, attributes("erc721"), ZERO_ADDRESS]);

      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.transferFrom([alice.address, bob.address, id], { account: bob }),
        card,
        "ERC721InsufficientApproval",
        [getAddress(bob.address), id],
      );
      await viem.assertions.emitWithArgs(card.write.approve([bob.address, id], { account: alice }), card, "Approval", [
        alice.address,
        bob.address,
        id,
      ]);
      assert.equal(await card.read.getApproved([id]), getAddress(bob.address));
      await card.write.transferFrom([alice.address, bob.address, id], { account: bob });
      assert.equal(await card.read.getApproved([id]), ZERO_ADDRESS);

      await viem.assertions.emitWithArgs(
        card.write.setApprovalForAll([carol.address, true], { account: bob }),
        card,
        "ApprovalForAll",
        [bob.address, carol.address, true],
      );
      assert.equal(await card.read.isApprovedForAll([bob.address, carol.address]), true);
      const wallet = await deploySmartWallet(viem, carol.address);
      await card.write.safeTransferFrom([bob.address, wallet.address, id, "0x1234"], { account: carol });
      assert.equal(await card.read.ownerOf([id]), getAddress(wallet.address));
      assert.equal(await card.read.balanceOf([wallet.address]), 1n);
      assert.equal(await card.read.balanceOf([bob.address]), 0n);

      const plain = await deployPlainERC721(viem);
      const second = unique();
      await card.write.mint([alice.address, second, 1n, attributes("second"), ZERO_ADDRESS]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        card.write.safeTransferFrom([alice.address, plain.address, second], { account: alice }),
        card,
        "ERC721InvalidReceiver",
        [plain.address],
      );
    });
  });
});

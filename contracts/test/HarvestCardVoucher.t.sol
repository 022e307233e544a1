// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {GameTestBase} from "./utils/GameTestBase.sol";
import {HarvestCard} from "../src/HarvestCard.sol";
import {ReentrantVoucherReceiver} from "../src/testing/ReentrantVoucherReceiver.sol";
import {SmartWallet} from "../src/testing/SmartWallet.sol";

/// @title Fuzzed properties of card vouchers and royalties.
contract HarvestCardVoucherTest is GameTestBase {
    /// A nonce mints at most once, whatever card, recipient or relayer the second voucher names.
    function testFuzz_NonceMintsAtMostOnce(
        uint256 nonce,
        uint256 cardA,
        uint256 cardB,
        uint256 recipientSeed,
        address relayer
    ) public {
        vm.assume(cardA != cardB);
        address recipient = _eoa(recipientSeed);
        HarvestCard.MintVoucher memory first = _voucher(cardA, recipient, nonce);
        bytes memory firstSignature = _sign(signerKey, first);
        vm.prank(relayer);
        card.mintWithVoucher(first, firstSignature);
        vm.assertTrue(card.isNonceUsed(nonce), "nonce marked used");
        vm.assertEq(card.ownerOf(cardA), recipient, "minted to the recipient");

        // The same voucher again.
        vm.expectRevert(abi.encodeWithSelector(HarvestCard.VoucherNonceUsed.selector, nonce));
        card.mintWithVoucher(first, firstSignature);

        // A valid voucher for another card on the same nonce.
        HarvestCard.MintVoucher memory second = _voucher(cardB, recipient, nonce);
        bytes memory secondSignature = _sign(signerKey, second);
        vm.expectRevert(abi.encodeWithSelector(HarvestCard.VoucherNonceUsed.selector, nonce));
        vm.prank(relayer);
        card.mintWithVoucher(second, secondSignature);

        vm.assertEq(card.balanceOf(recipient), 1, "exactly one card minted");
        vm.assertEq(card.editionCount(7), 1, "exactly one edition");
    }

    /// Nonces are independent bits: using one never marks another.
    function testFuzz_NoncesAreIndependent(uint256 nonce, uint256 other) public {
        vm.assume(nonce != other);
        HarvestCard.MintVoucher memory v = _voucher(1, _eoa(1), nonce);
        card.mintWithVoucher(v, _sign(signerKey, v));
        vm.assertFalse(card.isNonceUsed(other), "another nonce stays unused");
    }

    /// The contract's digest is the EIP-712 digest of the voucher for this contract and chain.
    function testFuzz_HashVoucherIsEip712(
        uint256 cardId,
        uint64 recipeId,
        bytes32 attributesHash,
        address crafter_,
        address recipient,
        uint256 nonce,
        uint256 deadline
    ) public view {
        HarvestCard.MintVoucher memory v =
            HarvestCard.MintVoucher(cardId, recipeId, attributesHash, crafter_, recipient, nonce, deadline);
        vm.assertEq(card.hashVoucher(v), _expectedDigest(card, v), "EIP-712 digest");
    }

    /// A voucher signed for another chain id is refused.
    function testFuzz_RefusesVoucherOfAnotherChain(uint64 otherChainId) public {
        vm.assume(otherChainId != block.chainid && otherChainId != 0);
        HarvestCard.MintVoucher memory v = _voucher(1, _eoa(1), 1);
        uint256 homeChain = block.chainid;
        vm.chainId(otherChainId);
        bytes memory signature = _sign(signerKey, v);
        vm.chainId(homeChain);
        vm.expectRevert(HarvestCard.VoucherInvalidSignature.selector);
        card.mintWithVoucher(v, signature);
    }

    /// Any key other than the signer's is refused, and refused signatures spend nothing.
    function testFuzz_RefusesOtherSigners(uint256 key) public {
        key = bound(key, 1, SECP256K1_N - 1);
        vm.assume(key != signerKey);
        HarvestCard.MintVoucher memory v = _voucher(1, _eoa(1), 1);
        bytes memory signature = _sign(key, v);
        vm.expectRevert(HarvestCard.VoucherInvalidSignature.selector);
        card.mintWithVoucher(v, signature);
        vm.assertFalse(card.isNonceUsed(1), "nonce unspent");
    }

    /// The malleable (high-s) twin of any valid signature is refused, by EOA and ERC-1271 signers alike.
    function testFuzz_RefusesHighSTwin(uint256 cardId, uint256 nonce, bool smartWallet) public {
        uint256 key = signerKey;
        if (smartWallet) {
            (address owner, uint256 ownerKey) = makeAccount("wallet owner");
            SmartWallet wallet = new SmartWallet(owner);
            vm.prank(admin);
            card.setVoucherSigner(address(wallet));
            key = ownerKey;
        }
        HarvestCard.MintVoucher memory v = _voucher(cardId, _eoa(cardId), nonce);
        (uint8 sv, bytes32 r, bytes32 s) = vm.sign(key, card.hashVoucher(v));
        bytes memory twin = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), sv == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(HarvestCard.VoucherInvalidSignature.selector);
        card.mintWithVoucher(v, twin);
        card.mintWithVoucher(v, abi.encodePacked(r, s, sv));
        vm.assertEq(card.ownerOf(cardId), v.recipient, "the canonical signature works");
    }

    /// Deadlines are inclusive: valid through their last second, expired right after.
    function testFuzz_DeadlineIsInclusive(uint256 deadline, uint256 submittedAt) public {
        deadline = bound(deadline, block.timestamp, type(uint64).max);
        submittedAt = bound(submittedAt, block.timestamp, type(uint64).max);
        HarvestCard.MintVoucher memory v = _voucher(1, _eoa(1), 1);
        v.deadline = deadline;
        bytes memory signature = _sign(signerKey, v);
        vm.warp(submittedAt);
        if (submittedAt > deadline) {
            vm.expectRevert(abi.encodeWithSelector(HarvestCard.VoucherExpired.selector, deadline));
        }
        card.mintWithVoucher(v, signature);
    }

    /// A receiver that re-enters with the voucher it is being paid with gets one card, never two.
    function testFuzz_ReentrantReceiverCannotRedeemTwice(uint256 cardId, uint256 otherCardId, uint256 nonce) public {
        vm.assume(cardId != otherCardId);
        ReentrantVoucherReceiver receiver = new ReentrantVoucherReceiver(card);
        HarvestCard.MintVoucher memory v = _voucher(cardId, address(receiver), nonce);
        bytes memory signature = _sign(signerKey, v);
        // Replays either the same voucher or a sibling for another card on the same nonce.
        HarvestCard.MintVoucher memory replay = cardId % 2 == 0 ? v : _voucher(otherCardId, address(receiver), nonce);
        receiver.arm(replay, _sign(signerKey, replay));

        card.mintWithVoucher(v, signature);

        vm.assertEq(
            receiver.reentryError(),
            abi.encodeWithSelector(HarvestCard.VoucherNonceUsed.selector, nonce),
            "the re-entry hit VoucherNonceUsed"
        );
        vm.assertEq(card.balanceOf(address(receiver)), 1, "one card");
        vm.assertEq(card.editionCount(v.recipeId), 1, "one edition");
    }

    /// Creator and game royalties never exceed the sale price, and each is its floor share.
    function testFuzz_RoyaltiesNeverExceedPrice(
        uint16 creatorBps,
        uint16 gameBps,
        uint256 price,
        bool hasCrafter,
        uint256 tokenId
    ) public {
        creatorBps = uint16(bound(creatorBps, 0, card.MAX_TOTAL_ROYALTY_BPS()));
        gameBps = uint16(bound(gameBps, 0, card.MAX_TOTAL_ROYALTY_BPS() - creatorBps));
        // Prices above this overflow `price * bps` (as in OpenZeppelin's ERC2981); no real sale is near it.
        price = bound(price, 0, type(uint256).max / 10_000);
        vm.startPrank(admin);
        card.setRoyalties(treasury, creatorBps, gameBps);
        card.mint(_eoa(tokenId), tokenId, 1, bytes32(0), hasCrafter ? crafter : address(0));
        vm.stopPrank();

        (address creator, uint256 creatorAmount, address gameTreasury, uint256 gameAmount) =
            card.royaltySplit(tokenId, price);
        vm.assertLe(creatorAmount + gameAmount, price, "royalties <= price");
        vm.assertLe(creatorAmount + gameAmount, price / 10, "royalties <= 10% of the price");
        vm.assertEq(creatorAmount, price * creatorBps / 10_000, "creator share");
        vm.assertEq(gameAmount, price * gameBps / 10_000, "game share");
        vm.assertEq(creator, hasCrafter ? crafter : treasury, "creator share goes to the crafter, else the treasury");
        vm.assertEq(gameTreasury, treasury, "game share goes to the treasury");

        (address receiver, uint256 royalty) = card.royaltyInfo(tokenId, price);
        vm.assertEq(receiver, creator, "ERC-2981 receiver is the creator");
        vm.assertEq(royalty, creatorAmount, "ERC-2981 amount is the creator share");
    }

    /// Shares above 10% in total are refused.
    function testFuzz_RefusesRoyaltiesAboveCap(uint16 creatorBps, uint16 gameBps) public {
        uint256 total = uint256(creatorBps) + gameBps;
        vm.assume(total > card.MAX_TOTAL_ROYALTY_BPS());
        vm.expectRevert(abi.encodeWithSelector(HarvestCard.RoyaltyTooHigh.selector, total));
        vm.prank(admin);
        card.setRoyalties(treasury, creatorBps, gameBps);
    }
}

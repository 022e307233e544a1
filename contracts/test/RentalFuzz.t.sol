// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {GameTestBase} from "./utils/GameTestBase.sol";
import {GameNFT} from "../src/GameNFT.sol";
import {IERC4907} from "../src/interfaces/IERC4907.sol";
import {ERC4907Protected} from "../src/rentals/ERC4907Protected.sol";

/// @title Fuzzed renter protection, for cards and lands alike.
contract RentalFuzzTest is GameTestBase {
    uint256 internal constant MAX_RENTAL = 3_650 days;

    address internal owner;
    address internal renter;
    address internal approved;
    address internal operatorForAll;
    address internal stranger;

    function setUp() public override {
        super.setUp();
        owner = makeAddr("owner");
        renter = makeAddr("renter");
        approved = makeAddr("approved");
        operatorForAll = makeAddr("operator for all");
        stranger = makeAddr("stranger");
    }

    /// Mints a token to the owner, who approves one account for it and another for all its tokens.
    function _mint(bool useLand) internal returns (GameNFT token, uint256 tokenId) {
        vm.startPrank(admin);
        if (useLand) {
            token = GameNFT(land);
            tokenId = land.mint(owner, 8, 100, 0);
        } else {
            token = GameNFT(card);
            tokenId = 42;
            card.mint(owner, tokenId, 1, bytes32(0), crafter);
        }
        vm.stopPrank();
        vm.startPrank(owner);
        token.approve(approved, tokenId);
        token.setApprovalForAll(operatorForAll, true);
        vm.stopPrank();
    }

    function _rent(GameNFT token, uint256 tokenId, uint256 duration) internal returns (uint64 expires) {
        expires = uint64(block.timestamp + bound(duration, 0, MAX_RENTAL));
        vm.prank(owner);
        token.setUser(tokenId, renter, expires);
    }

    /// Anyone but the renter and the rental operator, picked by a seed.
    function _nonRenterActor(uint256 seed) internal view returns (address) {
        address[4] memory actors = [owner, approved, operatorForAll, stranger];
        return actors[seed % actors.length];
    }

    /// While rented, no one (owner, approved, operator for all, renter, rental operator, stranger)
    /// can transfer the token, at any moment of the period.
    function testFuzz_NoTransferWhileRented(
        bool useLand,
        uint256 duration,
        uint256 elapsed,
        uint256 actorSeed,
        address to,
        bool safe
    ) public {
        vm.assume(to != address(0));
        (GameNFT token, uint256 tokenId) = _mint(useLand);
        uint64 expires = _rent(token, tokenId, duration);
        vm.warp(block.timestamp + bound(elapsed, 0, expires - block.timestamp));

        address[6] memory actors = [owner, approved, operatorForAll, renter, operator, stranger];
        address actor = actors[actorSeed % actors.length];
        vm.expectRevert(
            abi.encodeWithSelector(ERC4907Protected.ERC4907RentalActive.selector, tokenId, renter, expires)
        );
        vm.prank(actor);
        if (safe) token.safeTransferFrom(owner, to, tokenId);
        else token.transferFrom(owner, to, tokenId);

        vm.assertEq(token.ownerOf(tokenId), owner, "owner unchanged");
        vm.assertEq(token.userOf(tokenId), renter, "renter unchanged");
    }

    /// While rented, the owner and the accounts it approved can neither change nor clear the user.
    function testFuzz_OwnerCannotTouchUserWhileRented(
        bool useLand,
        uint256 duration,
        uint256 elapsed,
        uint256 actorSeed,
        address newUser,
        uint64 newExpires
    ) public {
        (GameNFT token, uint256 tokenId) = _mint(useLand);
        uint64 expires = _rent(token, tokenId, duration);
        vm.warp(block.timestamp + bound(elapsed, 0, expires - block.timestamp));

        address actor = _nonRenterActor(actorSeed);
        vm.expectRevert(
            abi.encodeWithSelector(ERC4907Protected.ERC4907RentalActive.selector, tokenId, renter, expires)
        );
        vm.prank(actor);
        token.setUser(tokenId, newUser, newExpires);
    }

    /// The renter stays the user for every second of the paid period, whatever is attempted meanwhile,
    /// and stops being it the second after.
    function testFuzz_RenterStaysUserForPaidPeriod(
        bool useLand,
        uint256 duration,
        uint256[4] memory checkpoints,
        uint256[4] memory actorSeeds,
        address newUser
    ) public {
        (GameNFT token, uint256 tokenId) = _mint(useLand);
        uint64 expires = _rent(token, tokenId, duration);

        for (uint256 i = 0; i < checkpoints.length; i++) {
            // Moves forward to a moment inside the period.
            vm.warp(bound(checkpoints[i], block.timestamp, expires));
            address actor = _nonRenterActor(actorSeeds[i]);

            vm.prank(actor);
            try token.setUser(tokenId, newUser, expires) {
                revert("a non-renter changed the user of an active rental");
            } catch {}
            vm.prank(actor);
            try token.transferFrom(owner, actor, tokenId) {
                revert("a rented token was transferred");
            } catch {}

            vm.assertEq(token.userOf(tokenId), renter, "renter is the user");
            vm.assertEq(token.userExpires(tokenId), expires, "expiry unchanged");
            vm.assertTrue(ERC4907Protected(address(token)).isRented(tokenId), "rented");
        }

        vm.warp(uint256(expires) + 1);
        vm.assertEq(token.userOf(tokenId), address(0), "no user after the period");
        vm.assertEq(token.userExpires(tokenId), 0, "no expiry after the period");
    }

    /// After the period, a transfer succeeds and clears the stale user with UpdateUser(id, 0, 0).
    function testFuzz_TransferAfterExpiryClearsUser(bool useLand, uint256 duration, uint256 afterEnd, uint256 toSeed)
        public
    {
        (GameNFT token, uint256 tokenId) = _mint(useLand);
        uint64 expires = _rent(token, tokenId, duration);
        vm.warp(uint256(expires) + bound(afterEnd, 1, 3_650 days));
        address to = _eoa(toSeed);

        vm.expectEmit(true, true, true, true, address(token));
        emit IERC4907.UpdateUser(tokenId, address(0), 0);
        vm.expectEmit(true, true, true, true, address(token));
        emit IERC721.Transfer(owner, to, tokenId);
        vm.prank(owner);
        token.transferFrom(owner, to, tokenId);

        vm.assertEq(token.ownerOf(tokenId), to, "transferred");
        vm.assertEq(token.userOf(tokenId), address(0), "user cleared");
    }

    /// The renter may give the token back at any moment; the owner may then transfer it.
    function testFuzz_RenterMayGiveBackEarly(bool useLand, uint256 duration, uint256 elapsed) public {
        (GameNFT token, uint256 tokenId) = _mint(useLand);
        uint64 expires = _rent(token, tokenId, duration);
        vm.warp(block.timestamp + bound(elapsed, 0, expires - block.timestamp));

        vm.expectEmit(true, true, true, true, address(token));
        emit IERC4907.UpdateUser(tokenId, address(0), 0);
        vm.prank(renter);
        token.setUser(tokenId, address(0), 0);
        vm.assertEq(token.userOf(tokenId), address(0), "given back");

        vm.prank(owner);
        token.transferFrom(owner, stranger, tokenId);
        vm.assertEq(token.ownerOf(tokenId), stranger, "transferable again");
    }

    /// The rental operator may reassign an active rental to anyone, for any future expiry.
    function testFuzz_RentalOperatorMayReassign(bool useLand, uint256 duration, address newUser, uint256 newDuration)
        public
    {
        vm.assume(newUser != address(0));
        (GameNFT token, uint256 tokenId) = _mint(useLand);
        _rent(token, tokenId, duration);
        uint64 newExpires = uint64(block.timestamp + bound(newDuration, 0, MAX_RENTAL));
        vm.prank(operator);
        token.setUser(tokenId, newUser, newExpires);
        vm.assertEq(token.userOf(tokenId), newUser, "reassigned");
        vm.assertEq(token.userExpires(tokenId), newExpires, "new expiry");
    }

    /// A non-zero user with an expiry before now is refused.
    function testFuzz_RefusesExpiryInThePast(bool useLand, uint64 expires, address user) public {
        vm.assume(user != address(0) && expires < block.timestamp);
        (GameNFT token, uint256 tokenId) = _mint(useLand);
        vm.expectRevert(abi.encodeWithSelector(ERC4907Protected.ERC4907InvalidExpiry.selector, expires));
        vm.prank(owner);
        token.setUser(tokenId, user, expires);
    }
}

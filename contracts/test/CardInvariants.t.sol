// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {GameTestBase} from "./utils/GameTestBase.sol";
import {Vm} from "./utils/Test.sol";
import {HarvestCard} from "../src/HarvestCard.sol";
import {ReentrantVoucherReceiver} from "../src/testing/ReentrantVoucherReceiver.sol";

// The handler lives in this file so that running this file alone still gives the invariant runner
// its artifact (Hardhat emits artifacts for the selected test files, not for their imports).

/// @title Drives a HarvestCard through random mints, transfers and rentals across a few players,
/// keeping a ghost model of who owns and who uses what.
/// @notice Every action does what a real account could do (by pranking it) and checks right away
/// that the contract accepted exactly what the rules allow; an action that broke a rule is counted in
/// {violations} with its reason in {lastViolation}, for the invariants to report.
contract CardHandler {
    Vm private constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    uint256 private constant MAX_RENTAL = 30 days;
    uint64 private constant RECIPE = 1;

    HarvestCard public immutable card;
    ReentrantVoucherReceiver public immutable receiver;
    address public immutable operator;
    uint256 private immutable _signerKey;

    address[] private _players;
    uint256[] private _tokens;

    /// The clock the handler keeps: the runner may reset block.timestamp between calls.
    uint256 public currentTime;

    mapping(uint256 tokenId => address) public ghostOwner;
    mapping(address account => uint256) public ghostBalance;
    mapping(uint256 tokenId => address) public ghostUser;
    mapping(uint256 tokenId => uint64) public ghostExpires;

    uint256 private _nextCardId = 1;
    uint256 private _nextNonce = 1;
    uint256[] private _usedNonces;

    uint256 public violations;
    string public lastViolation;
    mapping(string action => uint256) public calls;

    constructor(
        HarvestCard card_,
        uint256 signerKey_,
        address operator_,
        address[] memory players_,
        uint256 startTime
    ) {
        card = card_;
        _signerKey = signerKey_;
        operator = operator_;
        _players = players_;
        currentTime = startTime;
        receiver = new ReentrantVoucherReceiver(card_);
    }

    // -----------------------------------------------------------------------------------------
    // Views for the invariants
    // -----------------------------------------------------------------------------------------

    function tokenCount() external view returns (uint256) {
        return _tokens.length;
    }

    function tokenAt(uint256 index) external view returns (uint256) {
        return _tokens[index];
    }

    /// The players, and the re-entering receiver as the last holder.
    function holders() external view returns (address[] memory all) {
        all = new address[](_players.length + 1);
        for (uint256 i = 0; i < _players.length; i++) {
            all[i] = _players[i];
        }
        all[_players.length] = address(receiver);
    }

    function isGhostRented(uint256 tokenId) public view returns (bool) {
        return ghostUser[tokenId] != address(0) && ghostExpires[tokenId] >= currentTime;
    }

    // -----------------------------------------------------------------------------------------
    // Actions
    // -----------------------------------------------------------------------------------------

    /// A relayer redeems a fresh voucher for a player.
    function mintByVoucher(uint256 playerSeed, uint256 relayerSeed) external {
        _sync();
        calls["mintByVoucher"]++;
        address to = _player(playerSeed);
        (HarvestCard.MintVoucher memory voucher, bytes memory signature) = _freshVoucher(to);
        vm.prank(_player(relayerSeed));
        try card.mintWithVoucher(voucher, signature) {
            _recordMint(voucher.cardId, to, voucher.nonce);
        } catch {
            _violation("a fresh, valid voucher was refused");
        }
    }

    /// Someone replays a spent nonce, for the card it minted or for a new one.
    function replayNonce(uint256 nonceSeed, bool sameCard) external {
        _sync();
        if (_usedNonces.length == 0) return;
        calls["replayNonce"]++;
        uint256 nonce = _usedNonces[nonceSeed % _usedNonces.length];
        uint256 cardId = sameCard ? nonce : _nextCardId + 1_000_000;
        HarvestCard.MintVoucher memory voucher = _voucherFor(cardId, _player(nonceSeed), nonce);
        bytes memory signature = _sign(voucher);
        try card.mintWithVoucher(voucher, signature) {
            _violation("a spent nonce minted again");
        } catch (bytes memory reason) {
            if (keccak256(reason) != keccak256(abi.encodeWithSelector(HarvestCard.VoucherNonceUsed.selector, nonce))) {
                _violation("a replayed nonce failed with another error than VoucherNonceUsed");
            }
        }
    }

    /// A voucher to the re-entering receiver, which replays the nonce from onERC721Received.
    function mintToReentrantReceiver(bool replaySameCard) external {
        _sync();
        calls["mintToReentrantReceiver"]++;
        (HarvestCard.MintVoucher memory voucher, bytes memory signature) = _freshVoucher(address(receiver));
        // The same voucher, or a sibling for another card on the same nonce (a fresh copy: memory
        // structs are references).
        HarvestCard.MintVoucher memory replay = replaySameCard
            ? voucher
            : _voucherFor(voucher.cardId + 1_000_000, address(receiver), voucher.nonce);
        receiver.arm(replay, _sign(replay));
        try card.mintWithVoucher(voucher, signature) {
            _recordMint(voucher.cardId, address(receiver), voucher.nonce);
            bytes memory expected = abi.encodeWithSelector(HarvestCard.VoucherNonceUsed.selector, voucher.nonce);
            if (keccak256(receiver.reentryError()) != keccak256(expected)) {
                _violation("the re-entering receiver was not stopped by VoucherNonceUsed");
            }
        } catch {
            _violation("a voucher to a receiving contract was refused");
        }
    }

    /// The owner (or an account it approved) transfers a token to a player.
    function transfer(uint256 tokenSeed, uint256 toSeed, bool viaApproval) external {
        _sync();
        if (_tokens.length == 0) return;
        calls["transfer"]++;
        uint256 tokenId = _tokens[tokenSeed % _tokens.length];
        address from = ghostOwner[tokenId];
        if (from == address(receiver)) return; // the receiver never moves its cards
        address to = _player(toSeed);
        address spender = from;
        if (viaApproval) {
            spender = _player(toSeed + 1);
            vm.prank(from);
            card.approve(spender, tokenId);
        }
        bool rented = isGhostRented(tokenId);
        vm.prank(spender);
        try card.transferFrom(from, to, tokenId) {
            if (rented) _violation("a rented token was transferred");
            ghostOwner[tokenId] = to;
            ghostBalance[from]--;
            ghostBalance[to]++;
            // A transfer clears a user whose rental has ended.
            ghostUser[tokenId] = address(0);
            ghostExpires[tokenId] = 0;
        } catch {
            if (!rented) _violation("the owner could not transfer a token that is not rented");
        }
    }

    /// The owner rents a token out to a player.
    function rent(uint256 tokenSeed, uint256 renterSeed, uint256 duration) external {
        _sync();
        if (_tokens.length == 0) return;
        calls["rent"]++;
        uint256 tokenId = _tokens[tokenSeed % _tokens.length];
        address owner = ghostOwner[tokenId];
        if (owner == address(receiver)) return;
        address renter = _player(renterSeed);
        uint64 expires = uint64(currentTime + (duration % MAX_RENTAL));
        bool rented = isGhostRented(tokenId);
        vm.prank(owner);
        try card.setUser(tokenId, renter, expires) {
            if (rented) _violation("the owner replaced the renter of an active rental");
            ghostUser[tokenId] = renter;
            ghostExpires[tokenId] = expires;
        } catch {
            if (!rented) _violation("the owner could not rent out a token that is not rented");
        }
    }

    /// The owner tries to take the token back from its renter.
    function ownerClearsUser(uint256 tokenSeed) external {
        _sync();
        if (_tokens.length == 0) return;
        calls["ownerClearsUser"]++;
        uint256 tokenId = _tokens[tokenSeed % _tokens.length];
        address owner = ghostOwner[tokenId];
        if (owner == address(receiver)) return;
        // An owner who rented the token to itself is its renter, and may give it back.
        bool rented = isGhostRented(tokenId) && ghostUser[tokenId] != owner;
        vm.prank(owner);
        try card.setUser(tokenId, address(0), 0) {
            if (rented) _violation("the owner cleared the user of an active rental");
            ghostUser[tokenId] = address(0);
            ghostExpires[tokenId] = 0;
        } catch {
            if (!rented) _violation("the owner could not clear the user of a token that is not rented");
        }
    }

    /// The renter hands the token back early.
    function giveBack(uint256 tokenSeed) external {
        _sync();
        if (_tokens.length == 0) return;
        uint256 tokenId = _tokens[tokenSeed % _tokens.length];
        if (!isGhostRented(tokenId)) return;
        calls["giveBack"]++;
        vm.prank(ghostUser[tokenId]);
        try card.setUser(tokenId, address(0), 0) {
            ghostUser[tokenId] = address(0);
            ghostExpires[tokenId] = 0;
        } catch {
            _violation("the renter could not give the token back");
        }
    }

    /// The marketplace (rental operator) moves an active rental to another player.
    function operatorReassigns(uint256 tokenSeed, uint256 userSeed, uint256 duration) external {
        _sync();
        if (_tokens.length == 0) return;
        uint256 tokenId = _tokens[tokenSeed % _tokens.length];
        if (!isGhostRented(tokenId)) return;
        calls["operatorReassigns"]++;
        address user = _player(userSeed);
        uint64 expires = uint64(currentTime + (duration % MAX_RENTAL));
        vm.prank(operator);
        try card.setUser(tokenId, user, expires) {
            ghostUser[tokenId] = user;
            ghostExpires[tokenId] = expires;
        } catch {
            _violation("the rental operator could not reassign an active rental");
        }
    }

    /// Time passes.
    function wait(uint256 seconds_) external {
        calls["wait"]++;
        currentTime += seconds_ % (2 * MAX_RENTAL);
        _sync();
    }

    // -----------------------------------------------------------------------------------------
    // Internals
    // -----------------------------------------------------------------------------------------

    function _sync() private {
        vm.warp(currentTime);
    }

    function _player(uint256 seed) private view returns (address) {
        return _players[seed % _players.length];
    }

    function _freshVoucher(address to) private returns (HarvestCard.MintVoucher memory voucher, bytes memory signature) {
        uint256 cardId = _nextCardId++;
        uint256 nonce = _nextNonce++;
        voucher = _voucherFor(cardId, to, nonce);
        signature = _sign(voucher);
    }

    function _voucherFor(uint256 cardId, address to, uint256 nonce)
        private
        view
        returns (HarvestCard.MintVoucher memory)
    {
        return HarvestCard.MintVoucher({
            cardId: cardId,
            recipeId: RECIPE,
            attributesHash: keccak256(abi.encode(cardId)),
            crafter: to,
            recipient: to,
            nonce: nonce,
            deadline: currentTime + 1 hours
        });
    }

    function _sign(HarvestCard.MintVoucher memory voucher) private view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_signerKey, card.hashVoucher(voucher));
        return abi.encodePacked(r, s, v);
    }

    function _recordMint(uint256 tokenId, address to, uint256 nonce) private {
        _tokens.push(tokenId);
        _usedNonces.push(nonce);
        ghostOwner[tokenId] = to;
        ghostBalance[to]++;
    }

    function _violation(string memory reason) private {
        violations++;
        lastViolation = reason;
    }
}

/// @title Invariants of HarvestCard under random mints, transfers, rentals, returns and re-entry.
contract CardInvariantsTest is GameTestBase {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    CardHandler internal handler;

    function setUp() public override {
        super.setUp();
        address[] memory players = new address[](4);
        players[0] = makeAddr("alice");
        players[1] = makeAddr("bob");
        players[2] = makeAddr("carol");
        players[3] = makeAddr("dave");
        handler = new CardHandler(card, signerKey, operator, players, block.timestamp);
    }

    /// Only the handler is called, and only through its actions.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](9);
        selectors[0] = CardHandler.mintByVoucher.selector;
        selectors[1] = CardHandler.replayNonce.selector;
        selectors[2] = CardHandler.mintToReentrantReceiver.selector;
        selectors[3] = CardHandler.transfer.selector;
        selectors[4] = CardHandler.rent.selector;
        selectors[5] = CardHandler.ownerClearsUser.selector;
        selectors[6] = CardHandler.giveBack.selector;
        selectors[7] = CardHandler.operatorReassigns.selector;
        selectors[8] = CardHandler.wait.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), selectors);
    }

    /// Every holder's balance equals the tokens the model says it owns, and they add up to the supply.
    function invariant_BalancesEqualOwnedTokens() public view {
        address[] memory holders = handler.holders();
        uint256 total;
        for (uint256 i = 0; i < holders.length; i++) {
            uint256 balance = card.balanceOf(holders[i]);
            vm.assertEq(balance, handler.ghostBalance(holders[i]), "balance matches the model");
            total += balance;
        }
        uint256 count = handler.tokenCount();
        vm.assertEq(total, count, "balances add up to the minted tokens");
        vm.assertEq(uint256(card.editionCount(1)), count, "one edition per minted token");
        for (uint256 i = 0; i < count; i++) {
            uint256 tokenId = handler.tokenAt(i);
            vm.assertEq(card.ownerOf(tokenId), handler.ghostOwner(tokenId), "owner matches the model");
        }
    }

    /// A renter is the user for every second of its period (unless it gave the token back or the
    /// marketplace reassigned it), and no one is the user outside a period.
    function invariant_RenterIsUserForWholePaidPeriod() public {
        vm.warp(handler.currentTime());
        uint256 count = handler.tokenCount();
        for (uint256 i = 0; i < count; i++) {
            uint256 tokenId = handler.tokenAt(i);
            if (handler.isGhostRented(tokenId)) {
                vm.assertEq(card.userOf(tokenId), handler.ghostUser(tokenId), "the renter is the user");
                vm.assertEq(card.userExpires(tokenId), handler.ghostExpires(tokenId), "the paid expiry stands");
                vm.assertTrue(card.isRented(tokenId), "rented");
            } else {
                vm.assertEq(card.userOf(tokenId), address(0), "no user outside a rental");
                vm.assertEq(card.userExpires(tokenId), 0, "no expiry outside a rental");
                vm.assertFalse(card.isRented(tokenId), "not rented");
            }
        }
    }

    /// No action did what the rules forbid (a rented token moved, an owner took a rental back, a nonce
    /// minted twice, a re-entering receiver redeemed twice), nor failed where the rules allow it.
    function invariant_NoRuleWasBroken() public view {
        vm.assertEq(handler.violations(), 0, handler.lastViolation());
    }
}

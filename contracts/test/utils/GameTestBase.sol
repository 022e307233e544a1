// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Test} from "./Test.sol";
import {HarvestCard} from "../../src/HarvestCard.sol";
import {HarvestLand} from "../../src/HarvestLand.sol";

/// @title Deploys a card and a land the way the game does, with named accounts and voucher helpers.
abstract contract GameTestBase is Test {
    bytes32 internal constant MINT_VOUCHER_TYPEHASH = keccak256(
        "MintVoucher(uint256 cardId,uint64 recipeId,bytes32 attributesHash,address crafter,address recipient,uint256 nonce,uint256 deadline)"
    );

    uint16 internal constant CREATOR_BPS = 500;
    uint16 internal constant GAME_BPS = 250;

    HarvestCard internal card;
    HarvestLand internal land;

    address internal admin;
    address internal treasury;
    address internal crafter;
    address internal operator;
    address internal signer;
    uint256 internal signerKey;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        admin = makeAddr("admin");
        treasury = makeAddr("treasury");
        crafter = makeAddr("crafter");
        operator = makeAddr("rental operator");
        (signer, signerKey) = makeAccount("voucher signer");

        card = new HarvestCard(admin, signer, treasury, CREATOR_BPS, GAME_BPS, "ipfs://cards/");
        land = new HarvestLand(admin, "ipfs://lands/");
        vm.startPrank(admin);
        card.grantRole(card.RENTAL_OPERATOR_ROLE(), operator);
        land.grantRole(land.RENTAL_OPERATOR_ROLE(), operator);
        vm.stopPrank();
    }

    function _voucher(uint256 cardId, address recipient, uint256 nonce)
        internal
        view
        returns (HarvestCard.MintVoucher memory)
    {
        return HarvestCard.MintVoucher({
            cardId: cardId,
            recipeId: 7,
            attributesHash: keccak256(abi.encode("attributes", cardId)),
            crafter: crafter,
            recipient: recipient,
            nonce: nonce,
            deadline: block.timestamp + 1 hours
        });
    }

    function _sign(uint256 key, HarvestCard.MintVoucher memory voucher) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, card.hashVoucher(voucher));
        return abi.encodePacked(r, s, v);
    }

    /// @dev The EIP-712 digest, computed independently of the contract.
    function _expectedDigest(HarvestCard target, HarvestCard.MintVoucher memory voucher)
        internal
        view
        returns (bytes32)
    {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("HarvestCard"),
                keccak256("1"),
                block.chainid,
                address(target)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                MINT_VOUCHER_TYPEHASH,
                voucher.cardId,
                voucher.recipeId,
                voucher.attributesHash,
                voucher.crafter,
                voucher.recipient,
                voucher.nonce,
                voucher.deadline
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev An EOA picked by a fuzzed seed, never a precompile, the cheatcode or a deployed contract.
    function _eoa(uint256 seed) internal pure returns (address) {
        return vm.addr(bound(seed, 1, 1e30));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {GameTestBase} from "./utils/GameTestBase.sol";
import {HarvestLand} from "../src/HarvestLand.sol";

/// @title Fuzzed land attributes: a land is minted exactly when every attribute is in range.
contract HarvestLandFuzzTest is GameTestBase {
    function testFuzz_MintsOnlyAttributesInRange(uint8 plots, uint16 fertility, uint8 trait, uint256 toSeed) public {
        address to = _eoa(toSeed);
        bool valid = plots >= 1 && plots <= 16 && fertility >= 50 && fertility <= 200 && trait <= 4;
        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(HarvestLand.InvalidLandAttributes.selector, plots, fertility, trait));
        }
        vm.prank(admin);
        uint256 tokenId = land.mint(to, plots, fertility, trait);
        if (valid) {
            vm.assertEq(tokenId, 1, "first land is #1");
            vm.assertEq(land.ownerOf(tokenId), to, "minted to the recipient");
            HarvestLand.LandAttributes memory stored = land.landAttributes(tokenId);
            vm.assertEq(stored.plots, plots, "plots");
            vm.assertEq(stored.fertility, fertility, "fertility");
            vm.assertEq(stored.trait, trait, "trait");
            vm.assertEq(land.totalMinted(), 1, "one land");
        } else {
            vm.assertEq(land.totalMinted(), 0, "no land");
        }
    }

    /// Ids count up from 1 without gaps, whoever receives them.
    function testFuzz_SequentialIds(uint8 count, uint256 toSeed) public {
        count = uint8(bound(count, 1, 20));
        vm.startPrank(admin);
        for (uint256 i = 1; i <= count; i++) {
            vm.assertEq(land.mint(_eoa(uint256(keccak256(abi.encode(toSeed, i)))), 4, 100, 0), i, "next id");
        }
        vm.stopPrank();
        vm.assertEq(land.totalMinted(), count, "count");
    }
}

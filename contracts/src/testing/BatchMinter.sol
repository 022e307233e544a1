// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {HarvestCard} from "../HarvestCard.sol";

/// @title Mints cards in batches and hands each to a player, for load tests and benchmarks.
/// @notice Needs the card's minter role. Each card makes three events: CardMinted, the mint's
/// Transfer, and the Transfer to the player. Not deployed to production chains.
contract BatchMinter is IERC721Receiver {
    HarvestCard private immutable _card;

    constructor(HarvestCard card) {
        _card = card;
    }

    /// @notice Mints cards `firstTokenId` to `firstTokenId + count - 1`, then transfers them to
    /// `players` in turn.
    function mintAndDeal(uint256 firstTokenId, uint256 count, address[] calldata players) external {
        for (uint256 i = 0; i < count; ++i) {
            uint256 tokenId = firstTokenId + i;
            _card.mint(address(this), tokenId, uint64(i % 8), bytes32(tokenId), msg.sender);
            _card.transferFrom(address(this), players[i % players.length], tokenId);
        }
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }
}

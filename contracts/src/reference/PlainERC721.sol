// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title A plain OpenZeppelin ERC-721, the baseline that `npm run gas` measures our tokens against.
/// @dev Not deployed by the game; benchmarks only.
contract PlainERC721 is ERC721 {
    constructor() ERC721("Plain", "PLAIN") {}

    /// @notice Mints `tokenId` to `to` with no checks, as cheaply as OpenZeppelin allows.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}

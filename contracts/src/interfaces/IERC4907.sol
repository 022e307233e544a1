// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ERC-4907: rental NFT, an ERC-721 extension with a time-limited "user" role.
/// @dev The interface id is 0xad092b5c.
interface IERC4907 {
    /// @notice Emitted when the user of an NFT or its expiry changes.
    /// @dev `user` is the zero address when the user is cleared.
    event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires);

    /// @notice Sets the user of an NFT and the time, in UNIX seconds, when that use ends.
    function setUser(uint256 tokenId, address user, uint64 expires) external;

    /// @notice The current user of an NFT, or the zero address if there is none or its use has ended.
    function userOf(uint256 tokenId) external view returns (address);

    /// @notice The UNIX time when the current use of an NFT ends (0 when there is no user).
    function userExpires(uint256 tokenId) external view returns (uint256);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC4907} from "../interfaces/IERC4907.sol";

/// @title ERC-4907 rentals that protect a paying renter.
/// @notice Where this departs from the EIP's reference implementation, and why:
/// - The reference lets the owner (or an approved account) replace or clear the user at any time,
///   and clears the user on every transfer. A renter who paid for a period could then lose it the
///   next block. Here, while a token has an unexpired user (a "rental is active"):
///     * its owner can neither transfer it nor change or clear its user;
///     * only a rental operator (an account the token contract trusts to run rentals, such as the
///       game's marketplace) may change the user, and the user itself may give the token back early
///       by clearing the user.
/// - Once the rental has ended, a transfer clears the stale user (emitting `UpdateUser` with the zero
///   address), as the reference does on every transfer.
/// - Setting a non-zero user with an expiry already in the past is refused: it would be a rental that
///   never starts.
/// There is no event when a rental expires: expiry is a timestamp, and readers compare it with the clock.
abstract contract ERC4907Protected is ERC721, IERC4907 {
    /// @dev Packed in one storage slot: 20 bytes of address and 8 of expiry.
    struct UserInfo {
        address user;
        uint64 expires;
    }

    mapping(uint256 tokenId => UserInfo) private _users;

    /// @notice The token is rented until `expires` to `user`; the action needs the rental to have ended.
    error ERC4907RentalActive(uint256 tokenId, address user, uint64 expires);

    /// @notice A non-zero user was given an expiry that is not in the future.
    error ERC4907InvalidExpiry(uint64 expires);

    /// @inheritdoc IERC4907
    /// @dev With no active rental, the owner or an approved account may set or clear the user.
    /// With an active rental, only a rental operator may change it, or the user may clear it.
    function setUser(uint256 tokenId, address user, uint64 expires) public virtual {
        address owner = _requireOwned(tokenId);
        UserInfo memory current = _users[tokenId];
        if (_isActive(current)) {
            bool givesBack = msg.sender == current.user && user == address(0);
            if (!givesBack && !_isRentalOperator(msg.sender)) {
                revert ERC4907RentalActive(tokenId, current.user, current.expires);
            }
        } else {
            _checkAuthorized(owner, msg.sender, tokenId);
        }
        if (user == address(0)) {
            expires = 0;
        } else if (expires < block.timestamp) {
            revert ERC4907InvalidExpiry(expires);
        }
        _beforeUserChange();
        _users[tokenId] = UserInfo(user, expires);
        emit UpdateUser(tokenId, user, expires);
    }

    /// @inheritdoc IERC4907
    function userOf(uint256 tokenId) public view virtual returns (address) {
        UserInfo memory info = _users[tokenId];
        return _isActive(info) ? info.user : address(0);
    }

    /// @inheritdoc IERC4907
    function userExpires(uint256 tokenId) public view virtual returns (uint256) {
        UserInfo memory info = _users[tokenId];
        return _isActive(info) ? info.expires : 0;
    }

    /// @notice Whether the token is rented out now (it has a user whose period has not ended).
    function isRented(uint256 tokenId) public view virtual returns (bool) {
        return _isActive(_users[tokenId]);
    }

    /// @dev See {IERC165-supportsInterface}.
    function supportsInterface(bytes4 interfaceId) public view virtual override returns (bool) {
        return interfaceId == type(IERC4907).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev Refuses to move a rented token, and clears a user whose rental has ended.
    /// Minting never finds a user, so only transfers pay for the clean-up.
    function _update(address to, uint256 tokenId, address auth) internal virtual override returns (address) {
        UserInfo memory info = _users[tokenId];
        if (info.user != address(0)) {
            if (_isActive(info)) revert ERC4907RentalActive(tokenId, info.user, info.expires);
            delete _users[tokenId];
            emit UpdateUser(tokenId, address(0), 0);
        }
        return super._update(to, tokenId, auth);
    }

    /// @dev Whether `account` may change the user of a token during an active rental.
    function _isRentalOperator(address account) internal view virtual returns (bool);

    /// @dev Hook run before any change of user, for checks such as a pause.
    function _beforeUserChange() internal virtual {}

    function _isActive(UserInfo memory info) private view returns (bool) {
        return info.user != address(0) && info.expires >= block.timestamp;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ERC4907Protected} from "./rentals/ERC4907Protected.sol";

/// @title The parts Harvest Battles' card and land tokens share.
/// @notice Roles (admin, minter, pauser, rental operator), a pause that stops mints and user changes,
/// ERC-4907 rentals that protect the renter, and a settable metadata base URI.
/// @dev The pause leaves transfers open, unlike OpenZeppelin's ERC721Pausable: it is the game's
/// incident brake (a leaked minter or voucher key, a rental bug), and freezing every holder's tokens
/// is not needed to stop either. It also keeps a transfer within 10% of a plain ERC-721 transfer's gas.
abstract contract GameNFT is ERC721, ERC4907Protected, AccessControl, Pausable {
    /// @notice May mint tokens directly.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice May pause and unpause the token.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice May change the user of a token during an active rental (the game's marketplace).
    bytes32 public constant RENTAL_OPERATOR_ROLE = keccak256("RENTAL_OPERATOR_ROLE");

    string private _baseTokenURI;

    /// @notice Emitted when the metadata base URI changes.
    event BaseURIUpdated(string baseURI);

    /// @param admin Receives the admin, minter and pauser roles.
    constructor(string memory name_, string memory symbol_, address admin, string memory baseURI_)
        ERC721(name_, symbol_)
    {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _baseTokenURI = baseURI_;
    }

    /// @notice Stops mints and user changes (new rentals, returns, reassignments).
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Lets mints and user changes happen again.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @notice Sets the prefix of every token's metadata URI.
    function setBaseURI(string calldata baseURI_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _baseTokenURI = baseURI_;
        emit BaseURIUpdated(baseURI_);
    }

    /// @dev See {IERC165-supportsInterface}.
    function supportsInterface(bytes4 interfaceId)
        public
        view
        virtual
        override(ERC721, ERC4907Protected, AccessControl)
        returns (bool)
    {
        return ERC4907Protected.supportsInterface(interfaceId) || AccessControl.supportsInterface(interfaceId);
    }

    function _baseURI() internal view override returns (string memory) {
        return _baseTokenURI;
    }

    function _update(address to, uint256 tokenId, address auth)
        internal
        virtual
        override(ERC721, ERC4907Protected)
        returns (address)
    {
        return ERC4907Protected._update(to, tokenId, auth);
    }

    function _beforeUserChange() internal view override whenNotPaused {}

    function _isRentalOperator(address account) internal view override returns (bool) {
        return hasRole(RENTAL_OPERATOR_ROLE, account);
    }
}

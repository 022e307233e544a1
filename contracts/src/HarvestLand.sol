// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {GameNFT} from "./GameNFT.sol";

/// @title Harvest Battles land
/// @notice An ERC-721 plot of land. Each token carries attributes set at mint: its size in plots, its
/// fertility (in percent of the base growth rate) and one special trait. The owner farms it, or, while
/// it is rented out (ERC-4907, see {ERC4907Protected}), the renter does.
contract HarvestLand is GameNFT {
    /// @notice A land's attributes; they fit one storage slot.
    struct LandAttributes {
        uint8 plots;
        uint16 fertility;
        uint8 trait;
    }

    /// @notice Trait codes. 0 is none; the game gives meaning to the rest.
    uint8 public constant TRAIT_NONE = 0;
    uint8 public constant TRAIT_GREENHOUSE = 1;
    uint8 public constant TRAIT_WORKSHOP = 2;
    uint8 public constant TRAIT_ORCHARD = 3;
    uint8 public constant TRAIT_WELLSPRING = 4;
    uint8 public constant MAX_TRAIT = TRAIT_WELLSPRING;

    uint8 public constant MIN_PLOTS = 1;
    uint8 public constant MAX_PLOTS = 16;
    /// @notice Fertility in percent: 50 halves growth speed and yield, 200 doubles them.
    uint16 public constant MIN_FERTILITY = 50;
    uint16 public constant MAX_FERTILITY = 200;

    uint256 private _nextTokenId = 1;
    mapping(uint256 tokenId => LandAttributes) private _attributes;

    /// @notice Emitted when a land is minted with its attributes.
    event LandMinted(uint256 indexed tokenId, address indexed to, uint8 plots, uint16 fertility, uint8 trait);

    /// @notice The attributes are outside their allowed ranges.
    error InvalidLandAttributes(uint8 plots, uint16 fertility, uint8 trait);

    /// @param admin Receives the admin, minter and pauser roles.
    constructor(address admin, string memory baseURI_) GameNFT("Harvest Battles Land", "HBLAND", admin, baseURI_) {}

    /// @notice Mints the next land to `to` with the given attributes.
    /// @return tokenId The new token's id (they count up from 1).
    function mint(address to, uint8 plots, uint16 fertility, uint8 trait)
        external
        onlyRole(MINTER_ROLE)
        whenNotPaused
        returns (uint256 tokenId)
    {
        if (
            plots < MIN_PLOTS || plots > MAX_PLOTS || fertility < MIN_FERTILITY || fertility > MAX_FERTILITY
                || trait > MAX_TRAIT
        ) revert InvalidLandAttributes(plots, fertility, trait);
        tokenId = _nextTokenId++;
        _attributes[tokenId] = LandAttributes(plots, fertility, trait);
        emit LandMinted(tokenId, to, plots, fertility, trait);
        _safeMint(to, tokenId);
    }

    /// @notice The attributes of a minted land.
    function landAttributes(uint256 tokenId) external view returns (LandAttributes memory) {
        _requireOwned(tokenId);
        return _attributes[tokenId];
    }

    /// @notice How many lands have been minted.
    function totalMinted() external view returns (uint256) {
        return _nextTokenId - 1;
    }
}

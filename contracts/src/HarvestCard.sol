// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";
import {GameNFT} from "./GameNFT.sol";

/// @title Harvest Battles card
/// @notice An ERC-721 card crafted in the game. Cards are crafted off-chain and minted by their holder
/// with an EIP-712 voucher that the game's voucher signer issues; the token id is the off-chain card id,
/// so a card can be minted once. Each token keeps an on-chain record of its attributes hash, its
/// crafter, its recipe and its edition number within that recipe. Royalties (ERC-2981) go to the crafter;
/// the game's own share is read from {royaltySplit}. Rentals follow {ERC4907Protected}.
contract HarvestCard is GameNFT, IERC2981, EIP712 {
    using BitMaps for BitMaps.BitMap;

    /// @notice What the voucher signer authorises: mint card `cardId` to `recipient`.
    /// @param cardId The off-chain card id; it becomes the token id.
    /// @param recipeId The recipe the card was crafted from (its edition counts within it).
    /// @param attributesHash The hash of the card's attributes, as the game computes it.
    /// @param crafter The player who crafted the card; receives the creator royalty.
    /// @param recipient Who receives the token.
    /// @param nonce Single use, across every voucher this contract has ever accepted.
    /// @param deadline The last UNIX second at which the voucher can be redeemed.
    struct MintVoucher {
        uint256 cardId;
        uint64 recipeId;
        bytes32 attributesHash;
        address crafter;
        address recipient;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice The on-chain record of a card; crafter, recipe and edition share one storage slot.
    struct CardRecord {
        address crafter;
        uint64 recipeId;
        uint32 edition;
        bytes32 attributesHash;
    }

    bytes32 private constant MINT_VOUCHER_TYPEHASH = keccak256(
        "MintVoucher(uint256 cardId,uint64 recipeId,bytes32 attributesHash,address crafter,address recipient,uint256 nonce,uint256 deadline)"
    );

    /// @notice Creator and game royalties together may never exceed this share of a sale (10%).
    uint16 public constant MAX_TOTAL_ROYALTY_BPS = 1_000;
    uint16 private constant BPS_DENOMINATOR = 10_000;

    address private _voucherSigner;
    address private _treasury;
    uint16 private _creatorRoyaltyBps;
    uint16 private _gameRoyaltyBps;
    BitMaps.BitMap private _usedNonces;
    mapping(uint256 tokenId => CardRecord) private _records;
    mapping(uint64 recipeId => uint32) private _editions;

    /// @notice Emitted when a card is minted, by voucher or directly.
    event CardMinted(
        uint256 indexed tokenId,
        address indexed recipient,
        address indexed crafter,
        uint64 recipeId,
        uint32 edition,
        bytes32 attributesHash
    );
    /// @notice Emitted when a voucher is redeemed; its nonce can never be used again.
    event VoucherRedeemed(uint256 indexed nonce, uint256 indexed tokenId);
    /// @notice Emitted when the voucher signer is rotated; vouchers of the previous signer stop working.
    event VoucherSignerUpdated(address indexed previousSigner, address indexed newSigner);
    /// @notice Emitted when the royalty shares or the game's treasury change.
    event RoyaltiesUpdated(address indexed treasury, uint16 creatorRoyaltyBps, uint16 gameRoyaltyBps);

    /// @notice The voucher's deadline has passed.
    error VoucherExpired(uint256 deadline);
    /// @notice The voucher's nonce has been used already.
    error VoucherNonceUsed(uint256 nonce);
    /// @notice The voucher was not signed by the current voucher signer (or was altered).
    error VoucherInvalidSignature();
    /// @notice The zero address was given where an account is required.
    error ZeroAddress();
    /// @notice The royalty shares add up to more than {MAX_TOTAL_ROYALTY_BPS}.
    error RoyaltyTooHigh(uint256 totalBps);

    /// @param admin Receives the admin, minter and pauser roles.
    /// @param voucherSigner_ The key that signs mint vouchers.
    /// @param treasury_ Receives the game's royalty share, and the creator share of cards with no crafter.
    constructor(
        address admin,
        address voucherSigner_,
        address treasury_,
        uint16 creatorRoyaltyBps_,
        uint16 gameRoyaltyBps_,
        string memory baseURI_
    ) GameNFT("Harvest Battles Card", "HBCARD", admin, baseURI_) EIP712("HarvestCard", "1") {
        _setVoucherSigner(voucherSigner_);
        _setRoyalties(treasury_, creatorRoyaltyBps_, gameRoyaltyBps_);
    }

    /// @notice Mints the card a voucher describes. Anyone may submit it; the token goes to its recipient.
    /// @dev The nonce is marked used before the token is minted, so a receiver that re-enters through
    /// `onERC721Received` cannot redeem the voucher twice. Signatures are checked with OpenZeppelin's
    /// SignatureChecker (ECDSA with malleability checks, or ERC-1271 for a contract signer) and "used"
    /// is keyed on the nonce, never on the signature bytes.
    /// @return tokenId The minted token, equal to `voucher.cardId`.
    function mintWithVoucher(MintVoucher calldata voucher, bytes calldata signature)
        external
        whenNotPaused
        returns (uint256)
    {
        if (block.timestamp > voucher.deadline) revert VoucherExpired(voucher.deadline);
        if (_usedNonces.get(voucher.nonce)) revert VoucherNonceUsed(voucher.nonce);
        if (!SignatureChecker.isValidSignatureNow(_voucherSigner, hashVoucher(voucher), signature)) {
            revert VoucherInvalidSignature();
        }
        _usedNonces.set(voucher.nonce);
        emit VoucherRedeemed(voucher.nonce, voucher.cardId);
        _mintCard(voucher.recipient, voucher.cardId, voucher.recipeId, voucher.attributesHash, voucher.crafter);
        return voucher.cardId;
    }

    /// @notice Mints a card directly (starter and promotional cards, or operations).
    /// @param crafter May be the zero address: the creator royalty then goes to the treasury.
    function mint(address to, uint256 tokenId, uint64 recipeId, bytes32 attributesHash, address crafter)
        external
        onlyRole(MINTER_ROLE)
        whenNotPaused
    {
        _mintCard(to, tokenId, recipeId, attributesHash, crafter);
    }

    /// @notice Rotates the voucher signer. Unredeemed vouchers of the previous signer stop working.
    function setVoucherSigner(address newSigner) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setVoucherSigner(newSigner);
    }

    /// @notice Sets the game's treasury and the creator and game royalty shares, in basis points.
    function setRoyalties(address treasury_, uint16 creatorRoyaltyBps_, uint16 gameRoyaltyBps_)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _setRoyalties(treasury_, creatorRoyaltyBps_, gameRoyaltyBps_);
    }

    /// @notice The EIP-712 digest of a voucher, bound to this contract and the current chain.
    function hashVoucher(MintVoucher calldata voucher) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(MINT_VOUCHER_TYPEHASH, voucher)));
    }

    /// @notice The ERC-2981 royalty: the crafter's share of a sale, paid to the crafter.
    /// @dev ERC-2981 names a single receiver, so it carries the creator's share; the game's share is
    /// in {royaltySplit}. A card with no crafter pays its creator share to the treasury.
    function royaltyInfo(uint256 tokenId, uint256 salePrice) external view returns (address, uint256) {
        address crafter = _records[tokenId].crafter;
        return (crafter == address(0) ? _treasury : crafter, salePrice * _creatorRoyaltyBps / BPS_DENOMINATOR);
    }

    /// @notice Both royalty shares of a sale: the crafter's and the game's.
    function royaltySplit(uint256 tokenId, uint256 salePrice)
        external
        view
        returns (address creator, uint256 creatorAmount, address treasury, uint256 gameAmount)
    {
        address crafter = _records[tokenId].crafter;
        creator = crafter == address(0) ? _treasury : crafter;
        creatorAmount = salePrice * _creatorRoyaltyBps / BPS_DENOMINATOR;
        treasury = _treasury;
        gameAmount = salePrice * _gameRoyaltyBps / BPS_DENOMINATOR;
    }

    /// @notice The on-chain record of a minted card.
    function cardRecord(uint256 tokenId) external view returns (CardRecord memory) {
        _requireOwned(tokenId);
        return _records[tokenId];
    }

    /// @notice How many cards of a recipe have been minted (the last edition number).
    function editionCount(uint64 recipeId) external view returns (uint32) {
        return _editions[recipeId];
    }

    /// @notice Whether a voucher nonce has been redeemed.
    function isNonceUsed(uint256 nonce) external view returns (bool) {
        return _usedNonces.get(nonce);
    }

    /// @notice The key that signs mint vouchers now.
    function voucherSigner() external view returns (address) {
        return _voucherSigner;
    }

    /// @notice The treasury and the creator and game royalty shares, in basis points.
    function royaltyConfig() external view returns (address treasury, uint16 creatorBps, uint16 gameBps) {
        return (_treasury, _creatorRoyaltyBps, _gameRoyaltyBps);
    }

    /// @dev See {IERC165-supportsInterface}.
    function supportsInterface(bytes4 interfaceId) public view override(GameNFT, IERC165) returns (bool) {
        return interfaceId == type(IERC2981).interfaceId || GameNFT.supportsInterface(interfaceId);
    }

    function _mintCard(address to, uint256 tokenId, uint64 recipeId, bytes32 attributesHash, address crafter)
        private
    {
        uint32 edition = ++_editions[recipeId];
        _records[tokenId] = CardRecord(crafter, recipeId, edition, attributesHash);
        emit CardMinted(tokenId, to, crafter, recipeId, edition, attributesHash);
        _safeMint(to, tokenId);
    }

    function _setVoucherSigner(address newSigner) private {
        if (newSigner == address(0)) revert ZeroAddress();
        emit VoucherSignerUpdated(_voucherSigner, newSigner);
        _voucherSigner = newSigner;
    }

    function _setRoyalties(address treasury_, uint16 creatorBps, uint16 gameBps) private {
        if (treasury_ == address(0)) revert ZeroAddress();
        uint256 total = uint256(creatorBps) + gameBps;
        if (total > MAX_TOTAL_ROYALTY_BPS) revert RoyaltyTooHigh(total);
        _treasury = treasury_;
        _creatorRoyaltyBps = creatorBps;
        _gameRoyaltyBps = gameBps;
        emit RoyaltiesUpdated(treasury_, creatorBps, gameBps);
    }
}

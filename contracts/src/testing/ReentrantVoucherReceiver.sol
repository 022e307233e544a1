// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {HarvestCard} from "../HarvestCard.sol";

/// @title A receiver that re-enters {HarvestCard.mintWithVoucher} with the voucher it is being paid with.
/// @notice For tests: proves that a voucher's nonce is spent before the receiver callback runs.
contract ReentrantVoucherReceiver is IERC721Receiver {
    HarvestCard private immutable _card;
    HarvestCard.MintVoucher private _voucher;
    bytes private _signature;
    bool private _armed;

    /// @notice The revert data of the re-entering call, for the test to inspect.
    bytes public reentryError;

    constructor(HarvestCard card) {
        _card = card;
    }

    /// @notice Sets the voucher to replay from inside `onERC721Received`.
    function arm(HarvestCard.MintVoucher calldata voucher, bytes calldata signature) external {
        _voucher = voucher;
        _signature = signature;
        _armed = true;
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        if (_armed) {
            _armed = false;
            try _card.mintWithVoucher(_voucher, _signature) {
                reentryError = "";
            } catch (bytes memory reason) {
                reentryError = reason;
            }
        }
        return IERC721Receiver.onERC721Received.selector;
    }
}

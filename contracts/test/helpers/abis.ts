// The typed ABIs the contract tests use: the game's own from core, the test-only ones beside them.
export { harvestCardAbi, harvestLandAbi } from "../../../core/src/chain/abis.generated.ts";
export { batchMinterAbi, erc4907ReferenceAbi, plainERC721Abi, reentrantVoucherReceiverAbi, smartWalletAbi } from "./abis.generated.ts";

import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

// Hardhat cannot download compilers on machines without internet access, so the
// compiler is the `solc` npm package, pinned to the same version as `version`.
const solcJs = createRequire(import.meta.url).resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    version: "0.8.30",
    path: solcJs,
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      evmVersion: "cancun",
    },
  },
  paths: {
    sources: "contracts/src",
    tests: { solidity: "contracts/test", nodejs: "contracts/test" },
    ignition: "contracts/ignition",
    cache: ".cache/hardhat",
    artifacts: ".cache/artifacts",
  },
  test: {
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  networks: {
    // The local development chain that `npm start` runs (`hardhat node`).
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.RPC_URL || "http://127.0.0.1:8545",
    },
    // Immutable zkEVM, the production chain. Keys come from the environment or the keystore.
    immutableTestnet: {
      type: "http",
      chainType: "l1",
      chainId: 13473,
      url: configVariable("IMMUTABLE_TESTNET_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    immutableMainnet: {
      type: "http",
      chainType: "l1",
      chainId: 13371,
      url: configVariable("IMMUTABLE_MAINNET_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});

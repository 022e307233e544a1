/**
 * Renders `abis.ts`: the ABIs of the contracts the TypeScript tests and the gas script use, as
 * `as const` literals so that viem types every call, event and error.
 *
 * Hardhat writes typed artifacts to `.cache/artifacts`, which the type check does not include (and
 * which do not exist before the first build), so the tests carry their own copy. `Abis.test.ts`
 * fails when the copy differs from the compiled contracts; refresh it with
 * `UPDATE_ABIS=1 hardhat test nodejs contracts/test/Abis.test.ts`.
 */
export const ABI_CONTRACTS = [
  "HarvestCard",
  "HarvestLand",
  "SmartWallet",
  "ReentrantVoucherReceiver",
  "PlainERC721",
  "ERC4907Reference",
] as const;

export type AbiContractName = (typeof ABI_CONTRACTS)[number];

/** `HarvestCard` -> `harvestCardAbi`, `ERC4907Reference` -> `erc4907ReferenceAbi`. */
export function abiConstName(contractName: string): string {
  const leadingCaps = /^[A-Z]+(?=[A-Z][a-z]|\d|$)/.exec(contractName)?.[0] ?? contractName.charAt(0);
  return `${leadingCaps.toLowerCase()}${contractName.slice(leadingCaps.length)}Abi`;
}

export function renderAbis(abis: ReadonlyMap<string, readonly unknown[]>): string {
  const header = [
    "// Generated from the compiled contracts by contracts/test/helpers/render-abis.ts: do not edit.",
    "// Refresh with `UPDATE_ABIS=1 hardhat test nodejs contracts/test/Abis.test.ts`.",
    "",
  ];
  const body = [...abis].map(
    ([name, abi]) => `export const ${abiConstName(name)} = ${JSON.stringify(abi, null, 2)} as const;\n`,
  );
  return [...header, body.join("\n")].join("\n");
}

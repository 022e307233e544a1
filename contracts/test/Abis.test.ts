import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { describe, it } from "node:test";
import hre from "hardhat";
import { ABI_CONTRACTS, renderAbis } from "./helpers/render-abis.ts";

const ABIS_FILE = new URL("./helpers/abis.ts", import.meta.url);

describe("typed ABIs of the tests", () => {
  it("match the compiled contracts (refresh with UPDATE_ABIS=1)", async () => {
    const abis = new Map<string, readonly unknown[]>();
    for (const name of ABI_CONTRACTS) {
      abis.set(name, (await hre.artifacts.readArtifact(name)).abi);
    }
    const expected = renderAbis(abis);
    if (process.env.UPDATE_ABIS === "1") {
      await writeFile(ABIS_FILE, expected);
    }
    const actual = await readFile(ABIS_FILE, "utf8");
    assert.ok(
      actual === expected,
      "contracts/test/helpers/abis.ts is stale: run `UPDATE_ABIS=1 hardhat test nodejs contracts/test/Abis.test.ts`",
    );
  });
});

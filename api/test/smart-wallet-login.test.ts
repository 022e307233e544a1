/**
 * Sign-In with Ethereum for a smart-contract wallet (ERC-1271) on a real chain: the owner's EIP-191
 * signature logs the wallet in; another key's does not; and with the chain gone the login answers
 * 503, never success.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { getAddress, hexToBigInt, numberToHex, parseSignature, serializeSignature, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { smartWalletAbi } from "../../contracts/test/helpers/abis.generated.ts";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { startTestChain, type TestChain } from "../../scripts/stack/test-chain.ts";
import { createTestApp } from "../src/testing/test-app.ts";
import { bearer, postVerify, prepareLogin } from "../src/testing/siwe-client.ts";

const artifactFile = new URL("../../.cache/artifacts/contracts/src/testing/SmartWallet.sol/SmartWallet.json", import.meta.url);

describe("Sign-In with Ethereum for a smart-contract wallet (ERC-1271)", () => {
  let db: TestDatabase;
  let chain: TestChain;
  let testApp: Awaited<ReturnType<typeof createTestApp>>;
  let wallet: Address;
  const owner = privateKeyToAccount(generatePrivateKey());

  const sessionsOf = async (address: string) =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM game.sessions WHERE address = $1`, [address.toLowerCase()])).rows[0]!.n;
  /** A login message naming the wallet contract, signed by `signer` (EIP-191), sent as is. */
  async function loginAsWallet(sign: (message: string) => Promise<Hex>) {
    const { message } = await prepareLogin(testApp.app, owner, { address: wallet });
    const response = await postVerify(testApp.app, message, await sign(message));
    return { response, body: (await response.json()) as { token?: string; address?: string; error?: { code: string; details?: unknown } } };
  }

  before(async () => {
    [db, chain] = await Promise.all([createTestDatabase("smart_wallet"), startTestChain()]);
    const artifact = JSON.parse(await readFile(artifactFile, "utf8")) as { bytecode: Hex };
    const receipt = await chain.confirm(await chain.wallet(0).deployContract({ abi: smartWalletAbi, bytecode: artifact.bytecode, args: [owner.address] }));
    wallet = getAddress(receipt.contractAddress!);
    testApp = await createTestApp({ pool: db.pool, rpcUrl: chain.url, chainId: chain.deployment.chainId });
  });
  after(async () => {
    await testApp?.stop();
    await chain?.process.stop();
    await db?.drop();
  });

  it("is a contract owned by a key that is not the wallet's address", async () => {
    assert.equal(await chain.publicClient.readContract({ address: wallet, abi: smartWalletAbi, functionName: "owner" }), owner.address);
    assert.notEqual(wallet, owner.address);
  });

  it("logs the wallet in with its owner's signature, checked on the chain", async () => {
    const { response, body } = await loginAsWallet((message) => owner.signMessage({ message }));
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.address, wallet, "the session is the wallet's, not the owner key's");
    assert.equal(await sessionsOf(wallet), 1);
    assert.equal(await sessionsOf(owner.address), 0);
    const me = (await (await testApp.app.request("/v1/me", bearer(body.token!))).json()) as { address: string };
    assert.equal(me.address, wallet);
  });

  it("refuses another key's signature with 401 and opens no session", async () => {
    const intruder = privateKeyToAccount(generatePrivateKey());
    const { response, body } = await loginAsWallet((message) => intruder.signMessage({ message }));
    assert.equal(response.status, 401);
    assert.deepEqual([body.error?.code, body.error?.details], ["UNAUTHENTICATED", { reason: "BAD_SIGNATURE" }]);
    assert.equal(await sessionsOf(wallet), 1);
    assert.equal(await sessionsOf(intruder.address), 0);
  });

  it("refuses the owner's signature in its malleated (high-s) form", async () => {
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const { response, body } = await loginAsWallet(async (message) => {
      const { r, s, yParity } = parseSignature(await owner.signMessage({ message }));
      return serializeSignature({ r, s: numberToHex(n - hexToBigInt(s), { size: 32 }), yParity: yParity === 0 ? 1 : 0 });
    });
    assert.equal(response.status, 401);
    assert.deepEqual(body.error?.details, { reason: "BAD_SIGNATURE" });
    assert.equal(await sessionsOf(wallet), 1);
  });

  it("answers 503 DEPENDENCY_UNAVAILABLE once the chain is gone, never success, and opens no session", async () => {
    await chain.process.stop();
    for (const signer of [owner, privateKeyToAccount(generatePrivateKey())]) {
      const { response, body } = await loginAsWallet((message) => signer.signMessage({ message }));
      assert.equal(response.status, 503, JSON.stringify(body));
      assert.equal(body.error?.code, "DEPENDENCY_UNAVAILABLE");
      assert.equal(response.headers.get("content-type")?.startsWith("application/json"), true);
    }
    assert.equal(await sessionsOf(wallet), 1);
  });
});

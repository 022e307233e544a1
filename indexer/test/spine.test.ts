import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { findFreePort } from "@harvest/db/testing/free-port";
import { createOwnershipReader, type OwnershipReader } from "@harvest/db/ownership/ownership-reader";
import { createTestApp } from "../../api/src/testing/test-app.ts";
import { devAccount } from "../../scripts/stack/demo-accounts.ts";
import { startIndexer } from "../../scripts/stack/indexer.ts";
import { waitFor, type ManagedProcess } from "../../scripts/stack/processes.ts";
import { startTestChain, type TestChain } from "../../scripts/stack/test-chain.ts";

const owner = devAccount(1).address;
const renter = devAccount(2).address;
const stranger = devAccount(3).address;

type TokensBody = { tokens: { collection: string; tokenId: string; owner: string; user: string | null; userExpires: number | null; access: string; attributes: Record<string, unknown> }[]; indexedHead: { blockNumber: string } };

describe("the spine: chain -> indexer -> ownership -> API", () => {
  let db: TestDatabase;
  let chain: TestChain;
  let indexer: ManagedProcess;
  let ownership: OwnershipReader;
  let app: Awaited<ReturnType<typeof createTestApp>>["app"];
  let stopApp: () => Promise<void>;

  before(async () => {
    [db, chain] = await Promise.all([createTestDatabase("spine"), startTestChain()]);
    const started = await startIndexer({ databaseUrl: db.url, rpcUrl: chain.url, deploymentFile: chain.deploymentFile, port: await findFreePort() });
    indexer = started.process;
    ownership = createOwnershipReader({ pool: db.pool, viewsSchema: "chain" });
    const testApp = await createTestApp({ pool: db.pool, rpcUrl: chain.url, chainId: chain.deployment.chainId });
    app = testApp.app;
    stopApp = testApp.stop;
  });

  after(async () => {
    await stopApp?.();
    await indexer?.stop();
    await chain?.process.stop();
    await db?.drop();
  });

  /** Waits until the indexer has indexed the chain's current head. */
  async function indexed() {
    const head = await chain.publicClient.getBlockNumber();
    await waitFor(`block ${head} to be indexed`, async () => (await ownership.indexedHead()).blockNumber >= head, 20_000, 100);
  }

  async function tokensOf(address: string): Promise<TokensBody> {
    const response = await app.request(`/v1/wallets/${address}/tokens`);
    assert.equal(response.status, 200);
    return (await response.json()) as TokensBody;
  }

  it("serves a healthy /health once the indexer runs", async () => {
    await indexed();
    const response = await app.request("/health");
    assert.equal(response.status, 200);
    const body = (await response.json()) as { ok: boolean; indexer: { lagBlocks: number } };
    assert.equal(body.ok, true);
    assert.equal(typeof body.indexer.lagBlocks, "number");
  });

  it("shows a mint through the API, with the card's on-chain record", async () => {
    await chain.mintCard(owner, 7n, 3n);
    await indexed();
    const body = await tokensOf(owner);
    const card = body.tokens.find((t) => t.collection === "card" && t.tokenId === "7");
    assert.ok(card, "the minted card is listed");
    assert.equal(card.owner, owner);
    assert.equal(card.access, "owner");
    assert.deepEqual({ recipeId: card.attributes.recipeId, edition: card.attributes.edition }, { recipeId: 3, edition: 1 });
    assert.ok(BigInt(body.indexedHead.blockNumber) > 0n);
  });

  it("moves a token on transfer", async () => {
    await chain.mintCard(owner, 8n);
    await chain.transferCard(1, stranger, 8n);
    await indexed();
    assert.equal((await tokensOf(owner)).tokens.some((t) => t.tokenId === "8" && t.collection === "card"), false);
    const moved = (await tokensOf(stranger)).tokens.find((t) => t.tokenId === "8");
    assert.equal(moved?.access, "owner");
  });

  it("lets the renter, not the owner, use a rented token until the rental expires", async () => {
    await chain.mintCard(owner, 9n);
    const now = (await chain.publicClient.getBlock()).timestamp;
    const expires = now + 3_600n;
    await chain.rentCard(1, 9n, renter, expires);
    await indexed();

    const rented = (await tokensOf(renter)).tokens.find((t) => t.tokenId === "9");
    assert.equal(rented?.access, "renter");
    assert.equal(rented?.user, renter);
    assert.equal(rented?.userExpires, Number(expires));
    assert.equal((await tokensOf(owner)).tokens.some((t) => t.tokenId === "9" && t.collection === "card"), false);

    assert.equal((await ownership.mayUse(renter, "card", 9n)).value?.right, "renter");
    assert.equal((await ownership.mayUse(owner, "card", 9n)).value, null);
    assert.equal((await ownership.mayUse(stranger, "card", 9n)).value, null);

    await chain.advanceTime(3_601);
    await indexed();
    assert.equal((await ownership.mayUse(renter, "card", 9n)).value, null, "an expired renter may not use it");
    assert.equal((await ownership.mayUse(owner, "card", 9n)).value?.right, "owner", "the owner has it back");
    assert.equal((await tokensOf(renter)).tokens.some((t) => t.tokenId === "9"), false);
  });

  it("answers no for a token that does not exist, and reports finality", async () => {
    const answer = await ownership.mayUse(owner, "card", 999n);
    assert.equal(answer.value, null);
    const list = await ownership.usableTokens(owner);
    // The local chain's blocks are final 30 blocks behind the head (Ponder's default finality).
    assert.equal(list.final, false);
    assert.ok(list.head.finalizedBlockNumber <= list.head.blockNumber);
  });

  it("refuses a malformed address with a 400 and the error shape", async () => {
    const response = await app.request("/v1/wallets/not-an-address/tokens");
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "VALIDATION_FAILED");
  });
});

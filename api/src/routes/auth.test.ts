import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { createTestApp } from "../testing/test-app.ts";
import { bearer, login, postVerify, prepareLogin } from "../testing/siwe-client.ts";

describe("Sign-In with Ethereum, sessions and /v1/me", () => {
  let db: TestDatabase;
  let testApp: Awaited<ReturnType<typeof createTestApp>>;

  before(async () => {
    db = await createTestDatabase("auth");
    // No chain is needed for accounts' signatures; the unreachable RPC proves none is asked.
    testApp = await createTestApp({ pool: db.pool, rpcUrl: "http://127.0.0.1:1", chainId: 31337 });
  });
  after(async () => {
    await testApp?.stop();
    await db?.drop();
  });

  it("hands out a nonce with the fields it will accept", async () => {
    const response = await testApp.app.request("/v1/auth/nonce");
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.match(String(body.nonce), /^[0-9a-f]{32}$/);
    assert.deepEqual({ domain: body.domain, uri: body.uri, chainId: body.chainId }, { domain: "localhost:3000", uri: "http://localhost:3000", chainId: 31337 });
    assert.ok(response.headers.get("x-request-id"));
  });

  it("signs in with a real key, creates the player once, and serves /v1/me", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const first = await login(testApp.app, account);
    assert.equal(first.address, account.address);
    const me = await testApp.app.request("/v1/me", bearer(first.token));
    assert.equal(me.status, 200);
    const player = (await me.json()) as { id: string; address: string; displayName: null };
    assert.equal(player.address, account.address);
    assert.equal(player.displayName, null);

    const second = await login(testApp.app, account);
    const again = (await (await testApp.app.request("/v1/me", bearer(second.token))).json()) as { id: string };
    assert.equal(again.id, player.id, "a second login finds the same player");
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM game.outbox WHERE type = 'player.signed_in' AND aggregate_id = $1`, [player.id]);
    assert.equal(rows[0].n, 2, "each login wrote its event in its transaction");
  });

  it("changes the display name, unique without regard to case", async () => {
    const alice = await login(testApp.app, privateKeyToAccount(generatePrivateKey()));
    const bob = await login(testApp.app, privateKeyToAccount(generatePrivateKey()));
    const patch = (token: string, displayName: unknown) => testApp.app.request("/v1/me", bearer(token, { method: "PATCH", body: JSON.stringify({ displayName }) }));
    const renamed = await patch(alice.token, "Farmer_Alice");
    assert.equal(renamed.status, 200);
    assert.equal(((await renamed.json()) as { displayName: string }).displayName, "Farmer_Alice");
    const taken = await patch(bob.token, "farmer_alice");
    assert.equal(taken.status, 409);
    assert.equal(((await taken.json()) as { error: { code: string } }).error.code, "CONFLICT");
    for (const bad of ["ab", "x".repeat(25), "has space", "<script>", 42, null]) {
      const response = await patch(bob.token, bad);
      assert.equal(response.status, 400, `display name ${JSON.stringify(bad)}`);
    }
  });

  it("refuses fields a client must not set (no mass assignment)", async () => {
    const alice = await login(testApp.app, privateKeyToAccount(generatePrivateKey()));
    const response = await testApp.app.request("/v1/me", bearer(alice.token, { method: "PATCH", body: JSON.stringify({ displayName: "valid_name", id: "1", address: "0x0000000000000000000000000000000000000001" }) }));
    assert.equal(response.status, 400);
    const me = (await (await testApp.app.request("/v1/me", bearer(alice.token))).json()) as { displayName: string | null };
    assert.equal(me.displayName, null, "nothing was written");
  });

  it("refreshes with a single-use refresh token", async () => {
    const tokens = await login(testApp.app, privateKeyToAccount(generatePrivateKey()));
    const refresh = (refreshToken: string) => testApp.app.request("/v1/auth/refresh", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refreshToken }) });
    const first = await refresh(tokens.refreshToken);
    assert.equal(first.status, 200);
    const next = (await first.json()) as { token: string; refreshToken: string };
    assert.notEqual(next.refreshToken, tokens.refreshToken);
    assert.equal((await testApp.app.request("/v1/me", bearer(next.token))).status, 200);
    assert.equal((await refresh(tokens.refreshToken)).status, 401, "the old refresh token is spent");
  });

  it("logs out: the session's tokens stop working at once", async () => {
    const tokens = await login(testApp.app, privateKeyToAccount(generatePrivateKey()));
    assert.equal((await testApp.app.request("/v1/me", bearer(tokens.token))).status, 200);
    assert.equal((await testApp.app.request("/v1/auth/logout", bearer(tokens.token, { method: "POST" }))).status, 204);
    // The revocation arrives by NOTIFY; allow it the moment it takes.
    const deadline = Date.now() + 1_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) status = (await testApp.app.request("/v1/me", bearer(tokens.token))).status;
    assert.equal(status, 401);
    const refreshed = await testApp.app.request("/v1/auth/refresh", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refreshToken: tokens.refreshToken }) });
    assert.equal(refreshed.status, 401, "a revoked session cannot be refreshed");
  });

  it("consumes a nonce once: ten concurrent replays of one login open exactly one session", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const { message } = await prepareLogin(testApp.app, account);
    const signature = await account.signMessage({ message });
    const responses = await Promise.all(Array.from({ length: 10 }, () => postVerify(testApp.app, message, signature)));
    assert.deepEqual(responses.map((r) => r.status).sort(), [200, 401, 401, 401, 401, 401, 401, 401, 401, 401]);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM game.sessions WHERE address = $1`, [account.address.toLowerCase()]);
    assert.equal(rows[0].n, 1);
  });

  it("describes every route in /openapi.json and serves /docs", async () => {
    const doc = (await (await testApp.app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    for (const path of ["/health", "/v1/wallets/{address}/tokens", "/v1/auth/nonce", "/v1/auth/verify", "/v1/auth/refresh", "/v1/auth/logout", "/v1/me"]) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    assert.equal((await testApp.app.request("/docs")).status, 200);
  });
});

/**
 * Attacks on Sign-In with Ethereum and on tokens, against the real app, database and a real chain
 * (a bare Hardhat node: a signature that is not the account's own is checked on the chain, as a
 * smart-contract wallet's would be, and must be refused there too). Every attack must be refused with
 * its exact 4xx, code and reason, and must leave the number of sessions unchanged.
 */
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { sign } from "hono/jwt";
import { concat, encodeAbiParameters, hexToBigInt, numberToHex, parseSignature, serializeSignature, zeroAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { ErrorCode } from "@harvest/core/errors/error-codes";
import type { NonceResponse, TokenResponse } from "@harvest/core/protocol/api-schemas";
import { createTestDatabase, type TestDatabase } from "@harvest/db/testing/test-database";
import { findFreePort } from "@harvest/db/testing/free-port";
import { startHardhatNode } from "../../scripts/stack/chain.ts";
import type { ManagedProcess } from "../../scripts/stack/processes.ts";
import { createTestApp, TEST_TOKEN_SECRET } from "../src/testing/test-app.ts";
import { bearer, login, postVerify, prepareLogin } from "../src/testing/siwe-client.ts";

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Expected = { status: number; code: ErrorCode; reason?: string; detailsPath?: string };
/** A prepared attack: the addresses whose sessions must not change, and the request to send. */
type Prepared = { addresses: string[]; send: () => Promise<Response> };
type Attack = { name: string; expect: Expected; prepare: () => Promise<Prepared> };

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const ERC6492_MAGIC = "0x6492649264926492649264926492649264926492649264926492649264926492";
const MINUTE = 60_000;

let db: TestDatabase;
let chain: { url: string; process: ManagedProcess };
let testApp: TestApp;

const newAccount = () => privateKeyToAccount(generatePrivateKey());
const iso = (ms: number) => new Date(ms).toISOString();
const same = (text: string) => text;

async function sessionsOf(addresses: string[]): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM game.sessions WHERE address = ANY($1::text[])`, [addresses.map((a) => a.toLowerCase())]);
  return rows[0]!.n;
}
async function allSessions(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM game.sessions`);
  return rows[0]!.n;
}
async function freshNonce(): Promise<string> {
  return ((await (await testApp.app.request("/v1/auth/nonce")).json()) as NonceResponse).nonce;
}

type LoginAttempt = {
  account?: PrivateKeyAccount;
  /** Message fields instead of the ones the server hands out (see prepareLogin). */
  fields?: Parameters<typeof prepareLogin>[2];
  /** Changes the message before it is signed: the signature is good, the text is the problem. */
  editBeforeSign?: (message: string) => string;
  /** Changes the message after it is signed (tampering). */
  editAfterSign?: (message: string) => string | Promise<string>;
  signer?: PrivateKeyAccount;
  editSignature?: (signature: Hex) => string;
  /** Runs once the message is built, before it is sent (ageing its nonce, say). */
  setUp?: (nonce: string) => Promise<void>;
};

/** A login as a client would make it, with one thing wrong. */
function attempt(options: LoginAttempt = {}): () => Promise<Prepared> {
  return async () => {
    const account = options.account ?? newAccount();
    const { message: built, nonce } = await prepareLogin(testApp.app, account, options.fields ?? {});
    const message = (options.editBeforeSign ?? same)(built);
    const signature = await (options.signer ?? account).signMessage({ message });
    const sentMessage = await (options.editAfterSign ?? same)(message);
    const sentSignature = (options.editSignature ?? same)(signature);
    await options.setUp?.(nonce.nonce);
    const addresses = [account.address, ...(options.fields?.address ? [options.fields.address] : [])];
    return { addresses, send: () => postVerify(testApp.app, sentMessage, sentSignature) };
  };
}

/** A POST to /v1/auth/verify with a raw body, for the request-shape attacks. */
function raw(body: string | (() => Promise<string>), contentType: string | null = "application/json"): () => Promise<Prepared> {
  return async () => {
    const account = newAccount();
    const text = typeof body === "string" ? body : await body();
    const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
    return { addresses: [account.address], send: async () => testApp.app.request("/v1/auth/verify", { method: "POST", headers, body: text }) };
  };
}

/** A valid message and its good signature, for bodies that get one field wrong. */
async function validPair(): Promise<{ message: string; signature: Hex }> {
  const account = newAccount();
  const { message } = await prepareLogin(testApp.app, account);
  return { message, signature: await account.signMessage({ message }) };
}

/** The other signature of the same (r, s): s' = n - s with the recovery bit flipped. Recovers to the same key. */
function malleate(signature: Hex): Hex {
  const { r, s, yParity } = parseSignature(signature);
  return serializeSignature({ r, s: numberToHex(SECP256K1_N - hexToBigInt(s), { size: 32 }), yParity: yParity === 0 ? 1 : 0 });
}

const unauthenticated = (reason: string): Expected => ({ status: 401, code: "UNAUTHENTICATED", reason });
const malformed: Expected = { status: 400, code: "VALIDATION_FAILED", reason: "MALFORMED" };
const invalid = (detailsPath?: string): Expected => ({ status: 400, code: "VALIDATION_FAILED", ...(detailsPath === undefined ? {} : { detailsPath }) });

const attacks: Attack[] = [
  // The nonce.
  {
    name: "replays a nonce after its successful login",
    expect: unauthenticated("NONCE_REFUSED"),
    prepare: async () => {
      const account = newAccount();
      const { message } = await prepareLogin(testApp.app, account);
      const signature = await account.signMessage({ message });
      assert.equal((await postVerify(testApp.app, message, signature)).status, 200, "the first login succeeds");
      return { addresses: [account.address], send: () => postVerify(testApp.app, message, signature) };
    },
  },
  { name: "uses a nonce never issued", expect: unauthenticated("NONCE_REFUSED"), prepare: attempt({ fields: { nonce: randomBytes(16).toString("hex") } }) },
  {
    name: "uses an expired nonce",
    expect: unauthenticated("NONCE_REFUSED"),
    prepare: attempt({ setUp: async (nonce) => void (await db.pool.query(`UPDATE game.auth_nonces SET expires_at = now() - interval '1 s' WHERE nonce = $1`, [nonce])) }),
  },
  { name: "uses a nonce with a non-alphanumeric character", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace(/Nonce: (\w+)/, (_, n: string) => `Nonce: ${n.toUpperCase()}!`) }) },

  // The domain.
  { name: "names another domain", expect: unauthenticated("WRONG_DOMAIN"), prepare: attempt({ fields: { domain: "evil.example" } }) },
  { name: "names a sub-domain of ours", expect: unauthenticated("WRONG_DOMAIN"), prepare: attempt({ fields: { domain: "evil.localhost:3000" } }) },
  { name: "names our host:port as a prefix of theirs (not an authority)", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace(/^localhost:3000/, "localhost:3000.evil.com") }) },
  { name: "names our host as a prefix of theirs", expect: unauthenticated("WRONG_DOMAIN"), prepare: attempt({ fields: { domain: "localhost.evil.com:3000" } }) },
  { name: "names our host on another port", expect: unauthenticated("WRONG_DOMAIN"), prepare: attempt({ fields: { domain: "localhost:3001" } }) },
  { name: "names our host with no port", expect: unauthenticated("WRONG_DOMAIN"), prepare: attempt({ fields: { domain: "localhost" } }) },
  { name: "names a unicode homoglyph of our domain (Cyrillic o)", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace(/^localhost:3000/, "l\u043ecalhost:3000") }) },
  { name: "names the punycode form of a homoglyph", expect: unauthenticated("WRONG_DOMAIN"), prepare: attempt({ fields: { domain: "xn--lcalhost-9fg:3000" } }) },

  // The URI.
  { name: "names https where we serve http", expect: unauthenticated("WRONG_URI"), prepare: attempt({ fields: { uri: "https://localhost:3000" } }) },
  { name: "names another host in the URI", expect: unauthenticated("WRONG_URI"), prepare: attempt({ fields: { uri: "http://evil.example" } }) },
  { name: "names a URI our origin is a prefix of (other port)", expect: unauthenticated("WRONG_URI"), prepare: attempt({ fields: { uri: "http://localhost:30000" } }) },
  { name: "names a URI our origin is a prefix of (other host)", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace("URI: http://localhost:3000", "URI: http://localhost:3000.evil.com") }) },
  { name: "names a URI on a host our host is a prefix of", expect: unauthenticated("WRONG_URI"), prepare: attempt({ fields: { uri: "http://localhost.evil.com:3000/" } }) },
  { name: "hides another host behind userinfo in the URI", expect: unauthenticated("WRONG_URI"), prepare: attempt({ fields: { uri: "http://localhost:3000@evil.com/" } }) },

  // The chain.
  { name: "names the wrong chain (mainnet)", expect: unauthenticated("UNSUPPORTED_CHAIN"), prepare: attempt({ fields: { chainId: 1 } }) },
  { name: "names an unsupported chain next to ours", expect: unauthenticated("UNSUPPORTED_CHAIN"), prepare: attempt({ fields: { chainId: 31338 } }) },

  // Time.
  { name: "sends an expired message", expect: unauthenticated("EXPIRED"), prepare: attempt({ fields: { issuedAt: iso(Date.now() - 3 * MINUTE), expirationTime: iso(Date.now() - MINUTE) } }) },
  { name: "sends a message not valid yet (not-before ahead)", expect: unauthenticated("NOT_YET_VALID"), prepare: attempt({ fields: { notBefore: iso(Date.now() + MINUTE) } }) },
  { name: "sends a message issued long ago (6 min)", expect: unauthenticated("ISSUED_TOO_LONG_AGO"), prepare: attempt({ fields: { issuedAt: iso(Date.now() - 6 * MINUTE), expirationTime: iso(Date.now() + 3 * MINUTE) } }) },
  { name: "sends a message issued in the future (60 s)", expect: unauthenticated("ISSUED_IN_FUTURE"), prepare: attempt({ fields: { issuedAt: iso(Date.now() + MINUTE), expirationTime: iso(Date.now() + 5 * MINUTE) } }) },
  { name: "sends a message with no expiration", expect: unauthenticated("EXPIRATION_REQUIRED"), prepare: attempt({ fields: { expirationTime: undefined } }) },
  { name: "claims a lifetime over 10 minutes", expect: unauthenticated("LIFETIME_TOO_LONG"), prepare: attempt({ fields: { issuedAt: iso(Date.now()), expirationTime: iso(Date.now() + 11 * MINUTE) } }) },

  // Tampering after signing: each changed line breaks the signature.
  { name: "changes the statement after signing", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ editAfterSign: (m) => m.replace("Sign in to Harvest Battles.", "Sign in to Harvest Battles and approve all.") }) },
  { name: "changes the nonce after signing (to another live one)", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ editAfterSign: async (m) => m.replace(/Nonce: \w+/, `Nonce: ${await freshNonce()}`) }) },
  {
    name: "changes the address after signing",
    expect: unauthenticated("BAD_SIGNATURE"),
    prepare: async () => {
      const victim = newAccount();
      const prepared = await attempt({ editAfterSign: (m) => m.replace(/^0x[0-9a-fA-F]{40}$/m, victim.address) })();
      return { ...prepared, addresses: [...prepared.addresses, victim.address] };
    },
  },
  { name: "changes the URI after signing (still our origin)", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ editAfterSign: (m) => m.replace("URI: http://localhost:3000", "URI: http://localhost:3000/other") }) },
  { name: "changes the expiration after signing", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ editAfterSign: (m) => m.replace(/Expiration Time: .*/, `Expiration Time: ${iso(Date.now() + 4 * MINUTE)}`) }) },

  // The message's structure (signed as sent: only the format is wrong).
  { name: "carries two nonce lines", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace(/(Nonce: .*)/, "$1\n$1") }) },
  { name: "carries an extra unknown line", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace("Version: 1", "Version: 1\nAdmin: true") }) },
  { name: "carries a trailing line", expect: malformed, prepare: attempt({ editBeforeSign: (m) => `${m}\nRequest ID: 1\nRole: admin` }) },
  { name: "uses CRLF line endings", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace(/\n/g, "\r\n") }) },
  { name: "writes the address in lower case (not EIP-55)", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace(/^0x[0-9a-fA-F]{40}$/m, (a) => a.toLowerCase()) }) },
  { name: "writes the address with a wrong EIP-55 checksum", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace(/^0x([0-9a-fA-F]{40})$/m, (_, hex: string) => `0x${[...hex].map((ch) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase())).join("")}`) }) },
  { name: "says version 2", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace("Version: 1", "Version: 2") }) },
  { name: "carries a NUL byte", expect: malformed, prepare: attempt({ editBeforeSign: (m) => m.replace("Sign in", "Sign\u0000 in") }) },
  { name: "is not an EIP-4361 message at all", expect: malformed, prepare: attempt({ editBeforeSign: () => "please let me in" }) },
  { name: "names the zero address", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ fields: { address: zeroAddress } }) },

  // The signature.
  { name: "is signed by another key", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ signer: newAccount() }) },
  {
    name: "reuses the account's signature of another message",
    expect: unauthenticated("BAD_SIGNATURE"),
    prepare: async () => {
      const account = newAccount();
      const other = await account.signMessage({ message: "something else" });
      return attempt({ account, editSignature: () => other })();
    },
  },
  { name: "truncates the signature (64 bytes)", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ editSignature: (s) => s.slice(0, -2) }) },
  { name: "extends the signature (66 bytes)", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ editSignature: (s) => `${s}00` }) },
  { name: "malleates the signature (high s)", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ editSignature: malleate }) },
  { name: "sets an invalid recovery byte (v = 29)", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ editSignature: (s) => `${s.slice(0, -2)}1d` }) },
  { name: "sends 65 zero bytes", expect: unauthenticated("BAD_SIGNATURE"), prepare: attempt({ editSignature: () => `0x${"00".repeat(65)}` }) },
  {
    name: "wraps another key's signature as ERC-6492 for an account",
    expect: unauthenticated("BAD_SIGNATURE"),
    prepare: async () => {
      const signer = newAccount();
      return attempt({
        signer,
        editSignature: (s) => concat([encodeAbiParameters([{ type: "address" }, { type: "bytes" }, { type: "bytes" }], [signer.address, "0x", s]), ERC6492_MAGIC]),
      })();
    },
  },
  { name: "sends an empty signature", expect: invalid("signature"), prepare: attempt({ editSignature: () => "" }) },
  { name: "sends a bare 0x signature", expect: invalid("signature"), prepare: attempt({ editSignature: () => "0x" }) },
  { name: "sends a non-hex signature", expect: invalid("signature"), prepare: attempt({ editSignature: (s) => `0x${"zz"}${s.slice(4)}` }) },
  { name: "sends an odd-length hex signature", expect: invalid("signature"), prepare: attempt({ editSignature: (s) => s.slice(0, -1) }) },
  { name: "sends a signature without 0x", expect: invalid("signature"), prepare: attempt({ editSignature: (s) => s.slice(2) }) },

  // Sizes.
  { name: "sends a message over 2,048 characters", expect: invalid("message"), prepare: attempt({ fields: { statement: "a".repeat(2_100) } }) },
  { name: "sends a signature over 8,192 characters", expect: invalid("signature"), prepare: attempt({ editSignature: (s) => `${s}${"ab".repeat(4_100)}` }) },
  { name: "sends a body over the 16 KiB limit", expect: { status: 413, code: "PAYLOAD_TOO_LARGE" }, prepare: raw(JSON.stringify({ message: "m".repeat(20_000), signature: "0x00" })) },

  // The body's shape.
  { name: "sends malformed JSON", expect: invalid(), prepare: raw(`{"message": "a", "signature": `) },
  { name: "sends an empty body", expect: invalid(), prepare: raw("") },
  { name: "sends a JSON array", expect: invalid(), prepare: raw(async () => JSON.stringify(Object.values(await validPair()))) },
  { name: "sends a JSON string", expect: invalid(), prepare: raw(async () => JSON.stringify((await validPair()).message)) },
  { name: "sends JSON null", expect: invalid(), prepare: raw("null") },
  { name: "leaves out the signature", expect: invalid("signature"), prepare: raw(async () => JSON.stringify({ message: (await validPair()).message })) },
  { name: "leaves out the message", expect: invalid("message"), prepare: raw(async () => JSON.stringify({ signature: (await validPair()).signature })) },
  { name: "adds an extra field", expect: invalid(), prepare: raw(async () => JSON.stringify({ ...(await validPair()), playerId: "1", admin: true })) },
  { name: "sends the message as a number", expect: invalid("message"), prepare: raw(async () => JSON.stringify({ ...(await validPair()), message: 42 })) },
  { name: "sends the message as an array", expect: invalid("message"), prepare: raw(async () => JSON.stringify({ ...(await validPair()), message: [(await validPair()).message] })) },
  { name: "sends the message as null", expect: invalid("message"), prepare: raw(async () => JSON.stringify({ ...(await validPair()), message: null })) },
  { name: "sends the message as an object", expect: invalid("message"), prepare: raw(async () => JSON.stringify({ ...(await validPair()), message: { toString: "x" } })) },
  { name: "sends the signature as a number", expect: invalid("signature"), prepare: raw(async () => JSON.stringify({ ...(await validPair()), signature: 1234 })) },
  { name: "sends the signature as an array", expect: invalid("signature"), prepare: raw(async () => JSON.stringify({ ...(await validPair()), signature: [(await validPair()).signature] })) },
  { name: "sends a valid body as text/plain", expect: invalid(), prepare: raw(async () => JSON.stringify(await validPair()), "text/plain") },
  { name: "sends a valid body with no content type", expect: invalid(), prepare: raw(async () => JSON.stringify(await validPair()), null) },
  { name: "sends a valid body as a form", expect: invalid(), prepare: raw(async () => new URLSearchParams(await validPair()).toString(), "application/x-www-form-urlencoded") },
  { name: "sends __proto__ in the body", expect: invalid(), prepare: raw(async () => `{"__proto__": {"admin": true}, ${JSON.stringify(await validPair()).slice(1)}`) },
];

before(async () => {
  [db, chain] = await Promise.all([createTestDatabase("siwe_attacks"), findFreePort().then((port) => startHardhatNode(port))]);
  testApp = await createTestApp({ pool: db.pool, rpcUrl: chain.url, chainId: 31337 });
});
after(async () => {
  await testApp?.stop();
  await chain?.process.stop();
  await db?.drop();
});

describe("Sign-In with Ethereum refuses every attack, and opens no session", () => {

  it(`has at least 40 attacks (${attacks.length})`, () => assert.ok(attacks.length >= 40));

  for (const attack of attacks) {
    it(attack.name, async () => {
      const { addresses, send } = await attack.prepare();
      const [mineBefore, allBefore] = [await sessionsOf(addresses), await allSessions()];
      const response = await send();
      const body = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } };
      assert.equal(response.status, attack.expect.status, JSON.stringify(body));
      assert.equal(body.error?.code, attack.expect.code);
      assert.equal(typeof body.error?.message, "string");
      if (attack.expect.reason) assert.deepEqual(body.error?.details, { reason: attack.expect.reason });
      if (attack.expect.detailsPath) {
        const paths = (body.error?.details as { path: string }[]).map((issue) => issue.path);
        assert.ok(paths.includes(attack.expect.detailsPath), `details name ${attack.expect.detailsPath}: ${JSON.stringify(paths)}`);
      }
      assert.equal(await sessionsOf(addresses), mineBefore, "no session for the address");
      assert.equal(await allSessions(), allBefore, "no session at all");
    });
  }

  it("logs in when nothing is wrong (the attacks above fail for their one reason)", async () => {
    const account = newAccount();
    const before = await sessionsOf([account.address]);
    assert.equal((await login(testApp.app, account)).address, account.address);
    assert.equal(await sessionsOf([account.address]), before + 1);
  });
});

describe("tokens and another player's resources", () => {
  let alice: TokenResponse & { id: string };
  let bob: TokenResponse & { id: string };
  const me = (token: string, init: RequestInit = {}) => testApp.app.request("/v1/me", bearer(token, init));
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { sub: string; sid: string; adr: string; iss: string; iat: number; exp: number };
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

  before(async () => {
    const signIn = async () => {
      const tokens = await login(testApp.app, newAccount());
      return { ...tokens, id: ((await (await me(tokens.token)).json()) as { id: string }).id };
    };
    alice = await signIn();
    bob = await signIn();
  });

  it("/v1/me shows the token's own player only, whatever the request names", async () => {
    for (const path of ["/v1/me", `/v1/me?id=${bob.id}`, `/v1/me?playerId=${bob.id}&address=${bob.address}`]) {
      const response = await testApp.app.request(path, bearer(alice.token, { headers: { "x-player-id": bob.id } }));
      assert.equal(response.status, 200);
      const player = (await response.json()) as { id: string; address: string };
      assert.deepEqual([player.id, player.address], [alice.id, alice.address], path);
    }
  });

  it("has no route that takes a player or session id", async () => {
    const doc = (await (await testApp.app.request("/openapi.json")).json()) as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    const pathParams = Object.entries(doc.paths).flatMap(([path, ops]) => Object.values(ops).flatMap((op) => (op.parameters ?? []).filter((p) => p.in === "path").map((p) => `${path}:${p.name}`)));
    assert.ok(pathParams.includes("/v1/wallets/{address}/tokens:address"));
    const naming = pathParams.filter((p) => /player|session|user|account|:id$/i.test(p));
    assert.deepEqual(naming, [], "no path parameter names a player or a session (a player's own things are found from the token)");
    for (const path of [`/v1/players/${bob.id}`, `/v1/me/${bob.id}`, `/v1/sessions/${claimsOf(bob.token).sid}`, `/v1/auth/logout/${claimsOf(bob.token).sid}`]) {
      const response = await testApp.app.request(path, bearer(alice.token));
      assert.equal(response.status, 404, path);
      assert.equal((await errorOf(response)).code, "NOT_FOUND");
    }
  });

  it("cannot change another player through PATCH /v1/me", async () => {
    const response = await me(alice.token, { method: "PATCH", body: JSON.stringify({ displayName: "mallory", id: bob.id }) });
    assert.equal(response.status, 400);
    const bobNow = (await (await me(bob.token)).json()) as { displayName: string | null };
    assert.equal(bobNow.displayName, null);
  });

  it("logout acts on the caller's own session only: Bob cannot end Alice's", async () => {
    const aliceSid = claimsOf(alice.token).sid;
    const bobSid = claimsOf(bob.token).sid;
    const response = await testApp.app.request(`/v1/auth/logout?sessionId=${aliceSid}`, bearer(bob.token, { method: "POST", body: JSON.stringify({ sessionId: aliceSid, playerId: alice.id }) }));
    assert.equal(response.status, 204);
    const { rows } = await db.pool.query<{ id: string; revoked: boolean }>(`SELECT id, revoked_at IS NOT NULL AS revoked FROM game.sessions WHERE id = ANY($1::uuid[])`, [[aliceSid, bobSid]]);
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.id, r.revoked])), { [aliceSid]: false, [bobSid]: true });
    assert.equal((await me(alice.token)).status, 200, "Alice is still signed in");
    const deadline = Date.now() + 1_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) status = (await me(bob.token)).status;
    assert.equal(status, 401, "Bob is signed out");
  });

  it("refuses a token signed with another secret", async () => {
    const claims = claimsOf(alice.token);
    const forged = await sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 }, "another-secret-another-secret-another-secret", "HS256");
    const response = await me(forged);
    assert.equal(response.status, 401);
    assert.equal((await errorOf(response)).code, "UNAUTHENTICATED");
  });

  it("refuses an expired access token (the right secret and a live session)", async () => {
    const claims = claimsOf(alice.token);
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ ...claims, iat: now - 1_000, exp: now - 10 }, TEST_TOKEN_SECRET, "HS256");
    const response = await me(expired);
    assert.equal(response.status, 401);
    assert.equal((await errorOf(response)).code, "UNAUTHENTICATED");
    assert.equal((await me(alice.token)).status, 200, "while the real token still works");
  });

  it("refuses unsigned (alg none), wrong-issuer, HS512, not-yet-valid and odd-header tokens", async () => {
    const claims = claimsOf(alice.token);
    const now = Math.floor(Date.now() / 1000);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    /** A token signed with the real secret, with any header and claims. */
    const signed = (header: unknown, payload: unknown) => {
      const unsigned = `${b64(header)}.${b64(payload)}`;
      return `${unsigned}.${createHmac("sha256", TEST_TOKEN_SECRET).update(unsigned).digest("base64url")}`;
    };
    const [aliceHeader, , aliceSignature] = alice.token.split(".");
    const tokens = [
      `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`,
      `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.${aliceSignature}`,
      await sign({ ...claims, iss: "someone-else" }, TEST_TOKEN_SECRET, "HS256"),
      await sign(claims, TEST_TOKEN_SECRET, "HS512"),
      // Alice's signature on Bob's claims.
      `${aliceHeader}.${bob.token.split(".")[1]}.${aliceSignature}`,
      // Alice's token with its signature padded or with stray characters (the same bytes, not the same text).
      `${alice.token}=`,
      `${aliceHeader}.${alice.token.split(".")[1]}.${aliceSignature!.slice(0, 10)}+${aliceSignature!.slice(10)}`,
      signed({ alg: "HS256", typ: "JWT" }, { ...claims, nbf: now + 600 }),
      signed({ alg: "HS256", typ: "JWT" }, { ...claims, iat: now + 600 }),
      signed({ alg: "HS256", typ: "JWT" }, { ...claims, exp: String(now + 600) }),
      signed({ alg: "HS256", typ: "JWT" }, { ...claims, exp: undefined }),
      signed({ alg: "HS256", typ: "JWT" }, { ...claims, sub: 1 }),
      signed({ alg: "HS256", typ: "JWT", crit: ["exp"] }, claims),
      signed({ alg: "HS256", typ: "JWE" }, claims),
      signed({ alg: "RS256", typ: "JWT" }, claims),
      signed({ typ: "JWT" }, claims),
      signed([], claims),
      signed({ alg: "HS256", typ: "JWT" }, [claims]),
    ];
    for (const token of tokens) {
      const response = await me(token);
      assert.equal(response.status, 401, token);
      assert.equal((await errorOf(response)).code, "UNAUTHENTICATED");
    }
    assert.equal((await me(signed({ alg: "HS256", typ: "JWT" }, claims))).status, 200, "the same claims, well signed, pass: each refusal above is for its one flaw");
  });

  it("refuses garbage Authorization headers with 401", async () => {
    const headers = [
      undefined,
      "",
      "Bearer",
      "Bearer ",
      `Bearer  ${alice.token}`,
      `Bearer ${alice.token} extra`,
      `Bearer ${alice.token}x`,
      alice.token,
      `Basic ${Buffer.from("alice:password").toString("base64")}`,
      "Bearer a.b.c",
      "Bearer ....",
      "Bearer ===",
      `Bearer ${"A".repeat(8_000)}`,
      `Bearer ${alice.token}, Bearer ${bob.token}`,
      "Bearer null",
      "Bearer undefined",
    ];
    for (const authorization of headers) {
      const response = await testApp.app.request("/v1/me", { headers: authorization === undefined ? {} : { authorization } });
      assert.equal(response.status, 401, JSON.stringify(authorization?.slice(0, 60)));
      assert.equal((await errorOf(response)).code, "UNAUTHENTICATED");
    }
  });

  describe("rate limits at their real values (multiplier 1)", () => {
    let limited: TestApp;
    before(async () => {
      limited = await createTestApp({ pool: db.pool, rpcUrl: chain.url, chainId: 31337, rateLimitMultiplier: 1 });
    });
    after(async () => limited?.stop());

    /** Starts a burst well inside a one-minute window (windows are aligned to the minute), with clean counters. */
    async function freshWindow() {
      const intoMinute = Date.now() % MINUTE;
      if (intoMinute > MINUTE - 5_000) await sleep(MINUTE - intoMinute + 100);
      await db.pool.query(`DELETE FROM game.rate_limits`);
    }

    it("a burst of 31 nonce requests from one client: the 31st gets 429 with Retry-After", async () => {
      await freshWindow();
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 31; i++) {
        last = await limited.app.request("/v1/auth/nonce");
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [...Array(30).fill(200), 429]);
      const retryAfter = Number(last!.headers.get("retry-after"));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal(last!.headers.get("ratelimit-remaining"), "0");
      const body = (await last!.json()) as { error: { code: string; message: string; details: { retryAfterSeconds: number }; requestId: string } };
      assert.equal(body.error.code, "RATE_LIMITED");
      assert.equal(typeof body.error.message, "string");
      assert.equal(body.error.details.retryAfterSeconds, retryAfter);
      assert.equal(body.error.requestId, last!.headers.get("x-request-id"));
    });

    it("the 11th login attempt for one address in a minute gets 429, whoever sends it", async () => {
      await freshWindow();
      const account = newAccount();
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        // A nonce we never issued: each attempt is refused, and each counts against the address.
        const { message } = await prepareLogin(limited.app, account, { nonce: randomBytes(16).toString("hex") });
        await db.pool.query(`DELETE FROM game.rate_limits WHERE key LIKE 'nonce:%'`);
        statuses.push((await postVerify(limited.app, message, await account.signMessage({ message }))).status);
      }
      assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
      assert.equal(await sessionsOf([account.address]), 0);
    });
  });
});

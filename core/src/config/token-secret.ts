import { ConfigError } from "./env.ts";

/** A well-known secret for development only: tokens signed with it are worthless anywhere else. */
export const DEVELOPMENT_TOKEN_SECRET = "harvest-battles-development-secret-do-not-use-in-production";

/**
 * The access-token key: AUTH_TOKEN_SECRET, or in development and tests a fixed default (and a
 * warning through `warn`). Production refuses to start without one.
 */
export function resolveTokenSecret(config: { HARVEST_ENV: string; AUTH_TOKEN_SECRET?: string | undefined }, warn: (message: string) => void): string {
  if (config.AUTH_TOKEN_SECRET) return config.AUTH_TOKEN_SECRET;
  if (config.HARVEST_ENV === "production") throw new ConfigError("AUTH_TOKEN_SECRET", "is required in production");
  warn("AUTH_TOKEN_SECRET is not set: using the development default; tokens are not secret");
  return DEVELOPMENT_TOKEN_SECRET;
}

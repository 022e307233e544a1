import { parseEnv, sharedEnv } from "@harvest/core/config/env";

/** The API's configuration, read from the environment once at start-up. */
export function loadApiConfig(env: Record<string, string | undefined> = process.env) {
  return parseEnv(sharedEnv, env);
}

export type ApiConfig = ReturnType<typeof loadApiConfig>;

import { parseEnv, sharedEnv } from "@harvest/core/config/env";

/** The game server's configuration, read from the environment once at start-up. */
export function loadGameServerConfig(env: Record<string, string | undefined> = process.env) {
  return parseEnv(sharedEnv, env);
}

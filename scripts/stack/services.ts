import { fileURLToPath } from "node:url";
import { GAME_SERVER_NODE_FLAGS } from "../../game-server/src/node-flags.ts";
import { spawnManaged, waitFor, type ManagedProcess } from "./processes.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The API and the game server: their entry file, the variable that sets their port, and the flags node runs them with. */
const services: Record<"api" | "game-server", { entry: string; portVariable: string; nodeFlags: readonly string[] }> = {
  api: { entry: "api/src/index.ts", portVariable: "API_PORT", nodeFlags: [] },
  "game-server": { entry: "game-server/src/index.ts", portVariable: "GAME_SERVER_PORT", nodeFlags: GAME_SERVER_NODE_FLAGS },
};

export type ServiceName = keyof typeof services;

/** Starts one service process and waits until its `/health` answers 200. */
export async function startService(
  name: ServiceName,
  port: number,
  env: Record<string, string>,
  onLine?: (line: string) => void,
): Promise<{ url: string; process: ManagedProcess }> {
  const { entry, portVariable, nodeFlags } = services[name];
  const child = spawnManaged(name, process.execPath, [...nodeFlags, `${root}${entry}`], {
    cwd: root,
    env: { ...env, [portVariable]: String(port) },
    onLine: (line) => onLine?.(line),
  });
  const url = `http://127.0.0.1:${port}`;
  const exitedEarly = child.exited.then((code) => {
    throw new Error(`${name} exited with code ${code} before it was healthy`);
  });
  await Promise.race([waitFor(`${name} to be healthy`, async () => (await fetch(`${url}/health`)).ok, 60_000, 250), exitedEarly]);
  exitedEarly.catch(() => {});
  return { url, process: child };
}

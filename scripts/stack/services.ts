import { fileURLToPath } from "node:url";
import { spawnManaged, waitFor, type ManagedProcess } from "./processes.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The API and the game server: their entry file and the variable that sets their port. */
const services = {
  api: { entry: "api/src/index.ts", portVariable: "API_PORT" },
  "game-server": { entry: "game-server/src/index.ts", portVariable: "GAME_SERVER_PORT" },
} as const;

export type ServiceName = keyof typeof services;

/** Starts one service process and waits until its `/health` answers 200. */
export async function startService(
  name: ServiceName,
  port: number,
  env: Record<string, string>,
  onLine?: (line: string) => void,
): Promise<{ url: string; process: ManagedProcess }> {
  const { entry, portVariable } = services[name];
  const child = spawnManaged(name, process.execPath, [`${root}${entry}`], {
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

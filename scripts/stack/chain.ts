import { fileURLToPath } from "node:url";
import { jsonRpc } from "../../core/src/chain/json-rpc.ts";
import { spawnManaged, waitFor, type ManagedProcess } from "./processes.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const hardhatCli = `${root}node_modules/hardhat/dist/src/cli.js`;

/** Starts `hardhat node` on 127.0.0.1:`port` and waits until it answers. */
export async function startHardhatNode(port: number, onLine?: (line: string) => void): Promise<{ url: string; process: ManagedProcess }> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawnManaged("chain", process.execPath, [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: root,
    onLine: (line) => onLine?.(line),
  });
  const exitedEarly = child.exited.then((code) => {
    throw new Error(`hardhat node exited with code ${code} before it answered (is port ${port} taken?)`);
  });
  await Promise.race([waitFor("the Hardhat node", () => jsonRpc(url, "eth_chainId"), 30_000), exitedEarly]);
  exitedEarly.catch(() => {});
  return { url, process: child };
}

/** Runs `hardhat build` (quick when nothing changed). */
export async function buildContracts(onLine?: (line: string) => void): Promise<void> {
  await runStep("contract build", [hardhatCli, "build", "--quiet"], {}, onLine);
}

/** Runs scripts/deploy.ts against `rpcUrl` (contracts already built), writing the deployment to `outFile`. */
export async function deployContracts(rpcUrl: string, outFile: string, onLine?: (line: string) => void): Promise<string> {
  const deployScript = fileURLToPath(new URL("../deploy.ts", import.meta.url));
  await runStep("contract deployment", [deployScript, "localhost"], { RPC_URL: rpcUrl, DEPLOYMENT_OUT: outFile }, onLine);
  return outFile;
}

async function runStep(name: string, args: string[], env: Record<string, string>, onLine?: (line: string) => void) {
  const output: string[] = [];
  const step = spawnManaged(name, process.execPath, args, {
    cwd: root,
    env,
    onLine: (line) => {
      output.push(line);
      onLine?.(line);
    },
  });
  const code = await step.exited;
  if (code !== 0) throw new Error(`${name} failed with exit code ${code}:\n${output.slice(-20).join("\n")}`);
}

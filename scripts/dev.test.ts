import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import { findFreePort } from "../db/src/testing/free-port.ts";
import { devAccount } from "./stack/demo-accounts.ts";
import { waitFor } from "./stack/processes.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

type Launch = { child: ChildProcess; output: string[]; apiUrl: string; gameUrl: string };

/** Every process whose command line mentions `marker` (the run's data folder), but not this test. */
function processesMentioning(marker: string): string[] {
  const listing = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return listing.split("\n").filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}

describe("npm start (scripts/dev.ts)", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "harvest-dev-"));
  // Run as root, Postgres drops to the `postgres` user, which must be able to reach its data folder.
  await chmod(dataDir, 0o755);
  const ports = {
    API_PORT: await findFreePort(),
    GAME_SERVER_PORT: await findFreePort(),
    CHAIN_PORT: await findFreePort(),
    INDEXER_PORT: await findFreePort(),
    POSTGRES_PORT: await findFreePort(),
  };
  const launches: Launch[] = [];

  /** Starts the launcher in a process group of its own, as a terminal would, and waits until it is up. */
  async function launch(): Promise<Launch> {
    const env: Record<string, string | undefined> = { ...process.env, HARVEST_DATA_DIR: dataDir, DATABASE_URL: "", RPC_URL: "", DEPLOYMENT_FILE: "" };
    for (const [key, value] of Object.entries(ports)) env[key] = String(value);
    const child = spawn(process.execPath, [`${root}scripts/dev.ts`], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const started = Date.now();
    const exitedEarly = new Promise<never>((_, reject) =>
      child.once("exit", (code) => reject(new Error(`launcher exited early with code ${code}:\n${output.join("").slice(-3000)}`))),
    );
    await Promise.race([waitFor("the launcher to say it is up", async () => output.join("").includes("Harvest Battles is up"), 120_000, 250), exitedEarly]);
    exitedEarly.catch(() => {});
    const launched = { child, output, apiUrl: `http://127.0.0.1:${ports.API_PORT}`, gameUrl: `http://127.0.0.1:${ports.GAME_SERVER_PORT}` };
    launches.push(launched);
    process.stdout.write(`# launcher up in ${Date.now() - started} ms\n`);
    return launched;
  }

  function exited(child: ChildProcess): Promise<number | null> {
    return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  after(() => {
    for (const { child } of launches) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  });

  it("comes up with both health endpoints 200 and the demo wallet's card listed", async () => {
    const { apiUrl, gameUrl, child } = await launch();
    assert.equal((await fetch(`${apiUrl}/health`)).status, 200);
    assert.equal((await fetch(`${gameUrl}/health`)).status, 200);
    const demo = devAccount(1).address;
    const body = (await (await fetch(`${apiUrl}/v1/wallets/${demo}/tokens`)).json()) as { tokens: { collection: string; access: string }[] };
    assert.ok(body.tokens.some((t) => t.collection === "card" && t.access === "owner"), "account 1 holds the demo card");
    assert.equal(body.tokens.filter((t) => t.collection === "land").length, 1, "account 1 uses one land; the other is rented out");
    const renter = devAccount(2).address;
    const rented = (await (await fetch(`${apiUrl}/v1/wallets/${renter}/tokens`)).json()) as { tokens: { collection: string; access: string }[] };
    assert.deepEqual(rented.tokens.map((t) => [t.collection, t.access]), [["land", "renter"]]);

    // Ctrl-C: the terminal sends SIGINT to the whole foreground process group.
    process.kill(-child.pid!, "SIGINT");
    assert.equal(await exited(child), 0);
    await waitFor("every service to end", async () => processesMentioning(dataDir).length === 0, 15_000);
  });

  it("starts again after the launcher was killed with SIGKILL, leaving nothing behind", async () => {
    const first = await launch();
    process.kill(first.child.pid!, "SIGKILL");
    await exited(first.child);
    // The guards see their stdin close and stop the services.
    await waitFor("the orphaned services to end", async () => processesMentioning(dataDir).length === 0, 20_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${processesMentioning(dataDir).join("\n")}`);
    });

    const second = await launch();
    assert.equal((await fetch(`${second.apiUrl}/health`)).status, 200);
    process.kill(second.child.pid!, "SIGTERM");
    assert.equal(await exited(second.child), 0);
    await waitFor("every service to end", async () => processesMentioning(dataDir).length === 0, 15_000);
  });
});

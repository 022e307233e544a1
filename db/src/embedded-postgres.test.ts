import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { access, chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { reclaimDataDir, startEmbeddedPostgres } from "./embedded-postgres.ts";
import { isProcessAlive, readPostmasterPid } from "./postmaster.ts";
import { withAdminClient } from "./testing/admin-client.ts";
import { findFreePort } from "./testing/free-port.ts";
import { TEST_PG_ROOT } from "./testing/test-cluster.ts";

const CHILD = fileURLToPath(new URL("./testing/embedded-postgres-child.ts", import.meta.url));

/** Starts a server in a child Node process, resolved once it accepts connections. */
async function startInChild(dataDir: string, port: number, detached = false): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CHILD, dataDir, String(port)], { stdio: ["pipe", "pipe", "inherit"], detached });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`child exited early (code ${String(code)})`);
  });
  const ready = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) return JSON.parse(line) as { url: string };
    throw new Error("child closed stdout before reporting ready");
  })();
  const { url } = await Promise.race([ready, exited]);
  return { child, url };
}

async function killAndWait(child: ChildProcess, target: number): Promise<void> {
  const exited = once(child, "exit");
  process.kill(target, "SIGKILL");
  await exited;
}

async function waitUntilDead(pid: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await isProcessAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still alive`);
    await sleep(25);
  }
}

const scalar = (url: string, sql: string): Promise<unknown> =>
  withAdminClient(url, async (client) => Object.values((await client.query(sql)).rows[0] ?? {})[0]);

describe("startEmbeddedPostgres", () => {
  let root: string;
  const dataDirs: string[] = [];
  const children: ChildProcess[] = [];

  before(async () => {
    // Under the test root with our pid in the name, so a later run reaps it if we get killed.
    await mkdir(TEST_PG_ROOT, { recursive: true });
    root = await mkdtemp(path.join(TEST_PG_ROOT, `run-${process.pid}-`));
    // The server runs as the `postgres` OS user when we are root; it must reach its folder.
    await chmod(root, 0o755);
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    // Stops any server a failed test left orphaned, so the run leaves no postgres behind.
    for (const dataDir of dataDirs) await reclaimDataDir(dataDir).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it("initialises a cluster with data checksums and keeps its data across a clean stop and restart", async () => {
    const dataDir = path.join(root, "clean");
    dataDirs.push(dataDir);
    const port = await findFreePort();

    const first = await startEmbeddedPostgres({ dataDir, port });
    assert.equal(await scalar(first.url, "SHOW data_checksums"), "on");
    assert.equal(await scalar(first.url, "SHOW server_encoding"), "UTF8");
    await withAdminClient(first.url, (client) => client.query("CREATE TABLE kept AS SELECT 42 AS answer"));
    await first.stop();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      assert.equal(await scalar(second.url, "SELECT answer FROM kept"), 42);
    } finally {
      await second.stop();
    }
    await assert.rejects(access(path.join(dataDir, "postmaster.pid")));
  });

  describe("after its owner was killed with SIGKILL", () => {
    it("refuses a data dir whose server still belongs to a live process, then replaces the server once that owner is SIGKILLed", async () => {
      const dataDir = path.join(root, "orphan");
      dataDirs.push(dataDir);
      const port = await findFreePort();
      const { child, url } = await startInChild(dataDir, port);
      children.push(child);
      await withAdminClient(url, (client) => client.query("CREATE TABLE kept AS SELECT 7 AS answer"));

      await assert.rejects(startEmbeddedPostgres({ dataDir, port: await findFreePort() }), /in use by live process/);

      const orphan = await readPostmasterPid(dataDir);
      assert.ok(orphan !== undefined);
      await killAndWait(child, child.pid!);
      // SIGKILL reaches only the Node process; its server survives, holding the port.
      assert.equal(await isProcessAlive(orphan), true);

      const restarted = await startEmbeddedPostgres({ dataDir, port });
      try {
        assert.equal(await isProcessAlive(orphan), false);
        assert.notEqual(await readPostmasterPid(dataDir), orphan);
        assert.equal(await scalar(restarted.url, "SELECT answer FROM kept"), 7);
      } finally {
        await restarted.stop();
      }
    });

    it("starts over a stale postmaster.pid when the server was SIGKILLed too", async () => {
      const dataDir = path.join(root, "stale");
      dataDirs.push(dataDir);
      const port = await findFreePort();
      // Detached: the child leads its own process group, which its server joins.
      const { child, url } = await startInChild(dataDir, port, true);
      children.push(child);
      await withAdminClient(url, (client) => client.query("CREATE TABLE kept AS SELECT 9 AS answer"));
      const killed = await readPostmasterPid(dataDir);
      assert.ok(killed !== undefined);

      await killAndWait(child, -child.pid!);
      await waitUntilDead(killed);
      assert.equal(await readPostmasterPid(dataDir), killed, "the lock file is left behind");

      const restarted = await startEmbeddedPostgres({ dataDir, port });
      try {
        assert.equal(await scalar(restarted.url, "SELECT answer FROM kept"), 9);
      } finally {
        await restarted.stop();
      }
    });
  });
});

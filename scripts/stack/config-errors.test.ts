import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { findFreePort } from "../../db/src/testing/free-port.ts";
import { createTestDatabase, type TestDatabase } from "../../db/src/testing/test-database.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Runs a service entry point with `env` and returns its exit code, stderr and how long it took. */
function run(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${root}${entry}`], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => resolve({ code, stderr, ms: Date.now() - started }));
  });
}

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase("config");
});
after(async () => {
  await db?.drop();
});

for (const entry of ["api/src/index.ts", "game-server/src/index.ts"]) {
  describe(`${entry} start-up with a bad environment`, () => {
    it("ends within 10 s naming a malformed DATABASE_URL, with exit code 1", async () => {
      const result = await run(entry, { DATABASE_URL: "mysql://nobody@nowhere/db" });
      assert.equal(result.code, 1);
      assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
      const lines = result.stderr.trim().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, /DATABASE_URL: must be a postgres:\/\/ URL/);
    });

    it("ends within 10 s naming an unreachable RPC_URL", async () => {
      const closedPort = await findFreePort();
      const result = await run(entry, { DATABASE_URL: db.url, RPC_URL: `http://127.0.0.1:${closedPort}` });
      assert.equal(result.code, 1);
      assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
      assert.match(result.stderr.trim(), new RegExp(`^[a-z-]+: RPC_URL: cannot reach the chain at http://127.0.0.1:${closedPort}`));
    });

    it("ends within 10 s naming an unreachable DATABASE_URL", async () => {
      const closedPort = await findFreePort();
      const result = await run(entry, { DATABASE_URL: `postgres://u:p@127.0.0.1:${closedPort}/db` });
      assert.equal(result.code, 1);
      assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
      assert.match(result.stderr.trim(), /^[a-z-]+: DATABASE_URL: cannot connect/);
    });

    it("names a port that is out of range", async () => {
      const result = await run(entry, { DATABASE_URL: "postgres://u:p@127.0.0.1/db", API_PORT: "99999", GAME_SERVER_PORT: "99999" });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /(API_PORT|GAME_SERVER_PORT): /);
    });
  });
}

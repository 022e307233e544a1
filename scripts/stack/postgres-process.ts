/**
 * Runs the embedded PostgreSQL as a process of its own, for the launcher (it is started under
 * guard.ts). Prints one JSON line `{"ready":true,"url":...}` once the server answers, and stops the
 * server on SIGTERM or SIGINT.
 *
 * Usage: `node scripts/stack/postgres-process.ts <dataDir> <port>`.
 */
import { mkdirSync } from "node:fs";
import { startEmbeddedPostgres } from "../../db/src/embedded-postgres.ts";

const [dataDir, port] = process.argv.slice(2);
if (!dataDir || !port) {
  process.stderr.write("usage: postgres-process.ts <dataDir> <port>\n");
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });
const server = await startEmbeddedPostgres({ dataDir, port: Number(port), onLog: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ ready: true, url: server.url })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
setInterval(() => {}, 1 << 30);

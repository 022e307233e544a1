/**
 * Test fixture: starts an embedded server and then idles until killed, so a
 * test can SIGKILL its owner. Usage: node embedded-postgres-child.ts <dataDir> <port>
 * Prints one JSON line ({ url }) on stdout once the server accepts connections;
 * keep its stdin open as a pipe for as long as it should live.
 */
import { startEmbeddedPostgres } from "../embedded-postgres.ts";

const [dataDir, port] = process.argv.slice(2);
if (dataDir === undefined || port === undefined) throw new Error("usage: embedded-postgres-child.ts <dataDir> <port>");
const server = await startEmbeddedPostgres({ dataDir, port: Number(port), settings: { fsync: "off" } });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
// Idle until killed; if the test process dies first, its end of stdin closes and
// we exit too (a normal exit, which stops the server) instead of lingering.
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));

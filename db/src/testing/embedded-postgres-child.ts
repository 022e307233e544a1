/**
 * Test fixture: starts an embedded server and then idles until killed, so a
 * test can SIGKILL its owner. Usage: node embedded-postgres-child.ts <dataDir> <port>
 * Prints one JSON line ({ url }) on stdout once the server accepts connections.
 */
import { startEmbeddedPostgres } from "../embedded-postgres.ts";

const [dataDir, port] = process.argv.slice(2);
if (dataDir === undefined || port === undefined) throw new Error("usage: embedded-postgres-child.ts <dataDir> <port>");
const server = await startEmbeddedPostgres({ dataDir, port: Number(port), settings: { fsync: "off" } });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
setInterval(() => {}, 60_000);

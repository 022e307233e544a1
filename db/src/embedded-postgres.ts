import { randomBytes } from "node:crypto";
import { access, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadEmbeddedPostgres } from "./load-embedded-postgres.ts";
import { isProcessAlive, livePostmaster, parentPid, readPostmasterPid, stopPostmaster } from "./postmaster.ts";

export { ensureDatabase } from "./ensure-database.ts";

/** Where and how to run a PostgreSQL server from the `embedded-postgres` binaries. */
export type EmbeddedPostgresOptions = {
  /** Cluster folder; created and initialised (initdb, data checksums on) when it holds no cluster. */
  dataDir: string;
  port: number;
  /** Superuser name, set at initdb time. Default `postgres`. */
  user?: string;
  /** Superuser password, set at initdb time (a later change here does not alter it). Default `postgres`. */
  password?: string;
  /** Extra server settings, passed as `-c name=value` (e.g. `fsync: "off"` for a throwaway test cluster). */
  settings?: Readonly<Record<string, string>>;
  /** Receives initdb and server output. Default: discarded. */
  onLog?: (line: string) => void;
};

/** A running embedded server. */
export type EmbeddedPostgres = {
  /** Connection URL to the `postgres` database over TCP on 127.0.0.1. */
  url: string;
  /** Fast shutdown (SIGINT), resolved once the server has exited. Safe to call twice. */
  stop(): Promise<void>;
};

/** Records which Node process started the server on a data dir, to tell orphans from servers in use. */
const OWNER_FILE = "harvest-embedded-owner.json";
const START_ATTEMPTS = 4;

/** Postmaster pids this process started, stopped on a normal exit (see `stopChildrenOnExit`). */
const running = new Set<number>();

/**
 * Starts PostgreSQL on `dataDir`, initialising the cluster first if the folder
 * has none. It can be called again after a clean stop, and after the previous
 * owner was killed with SIGKILL:
 * - a stale `postmaster.pid` (server dead) is cleared;
 * - a server still running on the folder whose owning Node process is gone
 *   (orphaned by a SIGKILL of its parent) is shut down (fast shutdown) and a
 *   fresh one started, so this process owns its server and its log;
 * - a server whose owner is alive is left alone, and this call fails.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const user = options.user ?? "postgres";
  const password = options.password ?? "postgres";
  const log = createLogTail(options.onLog);
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const serverOptions = {
    port: options.port,
    user,
    password,
    authMethod: "scram-sha-256" as const,
    persistent: true,
    // Postgres refuses to run as root; embedded-postgres then runs it as the
    // `postgres` OS user (created if missing) and chowns the data folder to it.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--data-checksums", "--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--locale=C"],
    postgresFlags: serverFlags(options.settings),
    onLog: log.push,
    onError: (error: unknown) => log.push(String(error)),
  };

  await reclaimDataDir(dataDir);
  if (!(await hasCluster(dataDir))) await initialiseCluster(dataDir, (databaseDir) => new EmbeddedPostgresServer({ ...serverOptions, databaseDir }).initialise());
  await writeFile(path.join(dataDir, OWNER_FILE), JSON.stringify({ pid: process.pid, port: options.port, startedAt: new Date().toISOString() }));

  for (let attempt = 1; ; attempt += 1) {
    const server = new EmbeddedPostgresServer({ ...serverOptions, databaseDir: dataDir });
    try {
      await server.start();
    } catch (error) {
      // After a SIGKILL the dead server's children may hold its shared memory
      // for a few more milliseconds; postgres then refuses to start. Wait, retry.
      if (attempt < START_ATTEMPTS && log.mentions(/shared memory block|lock file|could not bind/i)) {
        await sleep(250 * attempt);
        continue;
      }
      await rm(path.join(dataDir, OWNER_FILE), { force: true });
      throw new Error(`PostgreSQL on ${dataDir} (port ${options.port}) did not start:\n${log.tail()}`, { cause: error });
    }
    const pid = await readPostmasterPid(dataDir);
    if (pid !== undefined) running.add(pid);
    stopChildrenOnExit();
    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`,
      stop: () => {
        stopping ??= (async () => {
          await server.stop();
          if (pid !== undefined) running.delete(pid);
          await rm(path.join(dataDir, OWNER_FILE), { force: true });
        })();
        return stopping;
      },
    };
  }
}

/**
 * Makes `dataDir` startable: clears a stale lock file, stops an orphaned server,
 * refuses when a live process still owns the server. Exported for tooling that
 * sweeps abandoned clusters (see testing/test-cluster.ts).
 */
export async function reclaimDataDir(dataDir: string): Promise<void> {
  const pid = await livePostmaster(dataDir);
  if (pid === undefined) return;
  const owner = await readOwner(dataDir);
  if (owner !== undefined && (await isProcessAlive(owner.pid))) {
    // A reused pid could impersonate the owner; where /proc says the server's
    // parent is someone else, the real owner is gone.
    const parent = await parentPid(pid);
    if (parent === undefined || parent === owner.pid) {
      throw new Error(`PostgreSQL server ${pid} on ${dataDir} is in use by live process ${owner.pid}`);
    }
  }
  if (owner === undefined) {
    throw new Error(`PostgreSQL server ${pid} on ${dataDir} was not started by startEmbeddedPostgres; stop it first`);
  }
  await stopPostmaster(pid, dataDir);
}

async function readOwner(dataDir: string): Promise<{ pid: number } | undefined> {
  try {
    const owner = JSON.parse(await readFile(path.join(dataDir, OWNER_FILE), "utf8")) as { pid?: unknown };
    return typeof owner.pid === "number" ? { pid: owner.pid } : undefined;
  } catch {
    return undefined;
  }
}

async function hasCluster(dataDir: string): Promise<boolean> {
  try {
    await access(path.join(dataDir, "PG_VERSION"));
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs initdb into a sibling folder and renames it into place, so a crash
 * mid-initdb never leaves a half-made cluster that later looks real.
 */
async function initialiseCluster(dataDir: string, initdb: (databaseDir: string) => Promise<void>): Promise<void> {
  const existing = await readdir(dataDir).catch(() => undefined);
  if (existing !== undefined && existing.length > 0) {
    throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster; refusing to initialise over it`);
  }
  await mkdir(path.dirname(dataDir), { recursive: true });
  const staging = `${dataDir}.initdb-${randomBytes(4).toString("hex")}`;
  try {
    await initdb(staging);
    if (existing !== undefined) await rmdir(dataDir);
    await rename(staging, dataDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function serverFlags(settings: Readonly<Record<string, string>> = {}): string[] {
  const all: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    // No unix socket: nothing to collide on in /tmp between clusters, and every
    // client here connects over TCP.
    unix_socket_directories: "",
    ...settings,
  };
  return Object.entries(all).flatMap(([name, value]) => ["-c", `${name}=${value}`]);
}

/** Keeps the last lines of server output for error messages, forwarding each to `onLog`. */
function createLogTail(onLog: ((line: string) => void) | undefined) {
  const lines: string[] = [];
  return {
    push: (message: string): void => {
      onLog?.(message);
      lines.push(message);
      if (lines.length > 40) lines.shift();
    },
    mentions: (pattern: RegExp): boolean => lines.some((line) => pattern.test(line)),
    tail: (): string => lines.join("").trim(),
  };
}

let exitHookInstalled = false;

// A process that ends without calling stop() would leave its server running.
// On a normal exit we can only act synchronously: send the fast-shutdown signal
// and let the server finish on its own. (A SIGKILLed process cannot do even
// that; the next start reclaims the folder instead.)
function stopChildrenOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", function stopEmbeddedPostgresOnExit() {
    for (const pid of running) {
      try {
        process.kill(pid, "SIGINT");
      } catch {
        // Already gone.
      }
    }
  });
}

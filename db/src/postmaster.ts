import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Helpers about the PostgreSQL server process (the "postmaster") that owns a
 * data directory, read from its `postmaster.pid` lock file. They let a new start
 * tell a stale lock file from a live server, and stop a server whose owner died.
 */

/** Whether a process exists (a zombie counts as gone: it holds no port and no lock). */
export async function isProcessAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone we may not signal.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const state = await readProcStat(pid);
  return state?.state !== "Z";
}

/** The parent pid of a process, where /proc tells it (Linux); undefined elsewhere. */
export async function parentPid(pid: number): Promise<number | undefined> {
  return (await readProcStat(pid))?.ppid;
}

/** The pid recorded in `<dataDir>/postmaster.pid`, or undefined without a lock file. */
export async function readPostmasterPid(dataDir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Whether `pid` is a postgres server process. Where /proc is missing we cannot
 * tell and answer true: treating a live server as stale would be the worse mistake.
 */
export async function looksLikePostgres(pid: number): Promise<boolean> {
  let cmdline: string;
  try {
    cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return true;
  }
  const program = cmdline.split("\0")[0] ?? "";
  return path.basename(program).startsWith("postgres");
}

/**
 * The live postmaster serving `dataDir`, or undefined. A `postmaster.pid` whose
 * pid is dead, or was reused by an unrelated process, is removed: postgres
 * itself clears a dead pid's lock file but refuses to start while the recorded
 * pid is alive, whatever that process is.
 */
export async function livePostmaster(dataDir: string): Promise<number | undefined> {
  const pid = await readPostmasterPid(dataDir);
  if (pid === undefined) return undefined;
  if ((await isProcessAlive(pid)) && (await looksLikePostgres(pid))) return pid;
  await rm(path.join(dataDir, "postmaster.pid"), { force: true });
  return undefined;
}

/**
 * Stops a postmaster that is not our child (so we cannot wait on it): fast
 * shutdown (SIGINT, what `pg_ctl stop -m fast` sends), then immediate shutdown
 * (SIGQUIT), then SIGKILL. Resolves once the process is gone or its lock file is.
 */
export async function stopPostmaster(pid: number, dataDir: string, timeoutMs = 15_000): Promise<void> {
  const steps: Array<[NodeJS.Signals, number]> = [
    ["SIGINT", timeoutMs],
    ["SIGQUIT", 5_000],
    ["SIGKILL", 5_000],
  ];
  for (const [signal, waitMs] of steps) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return;
      throw error;
    }
    if (await waitUntilGone(pid, dataDir, waitMs)) return;
  }
  throw new Error(`PostgreSQL server ${pid} on ${dataDir} did not stop, even after SIGKILL`);
}

async function waitUntilGone(pid: number, dataDir: string, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (!(await isProcessAlive(pid))) return true;
    // A clean shutdown removes the lock file just before the process exits.
    if ((await readPostmasterPid(dataDir)) !== pid) {
      await sleep(50);
      return true;
    }
    await sleep(50);
  }
  return false;
}

async function readProcStat(pid: number): Promise<{ state: string; ppid: number } | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is parenthesised and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const ppid = Number.parseInt(fields[1] ?? "", 10);
  return state === undefined || Number.isNaN(ppid) ? undefined : { state, ppid };
}

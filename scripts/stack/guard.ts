/**
 * Runs one command and ends it when the process that started us goes away.
 *
 * Usage: `node scripts/stack/guard.ts <command> [args...]`, spawned with a pipe on stdin.
 * Linux does not end children when their parent is killed with SIGKILL; the pipe is how a child
 * notices: when the launcher dies, however it dies, our stdin closes and we stop the command.
 * SIGINT and SIGTERM are passed on. Our exit code is the command's.
 */
import { spawn } from "node:child_process";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write("usage: guard.ts <command> [args...]\n");
  process.exit(2);
}

const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], detached: true });
let stopping = false;

function stop(signal: NodeJS.Signals) {
  if (stopping || child.exitCode !== null) return;
  stopping = true;
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
  // A command that ignores the signal is killed with its whole process group.
  setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, 8_000).unref();
}

child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
process.stdin.on("end", () => stop("SIGTERM"));
process.stdin.on("close", () => stop("SIGTERM"));
process.stdin.resume();

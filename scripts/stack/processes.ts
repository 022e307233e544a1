import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const guard = fileURLToPath(new URL("./guard.ts", import.meta.url));

/** A service process that the stack started, and how to stop it. */
export type ManagedProcess = {
  name: string;
  pid: number;
  /** Resolves with the exit code when the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves when it has ended. */
  stop(timeoutMs?: number): Promise<void>;
};

export type SpawnOptions = {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Receives each line the process prints on stdout or stderr. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
};

/**
 * Starts `command` under the guard (see guard.ts), so that it ends with us even if we are killed
 * with SIGKILL. Every line it prints goes to `onLine`.
 */
export function spawnManaged(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  const child: ChildProcess = spawn(process.execPath, [guard, command, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  for (const stream of ["stdout", "stderr"] as const) {
    const lines = createInterface({ input: child[stream]! });
    lines.on("line", (line) => options.onLine?.(line, stream));
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    name,
    pid: child.pid!,
    exited,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it resolves truthy, or throws after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ""}`);
}

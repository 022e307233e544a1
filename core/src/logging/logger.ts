import { pino, type Logger, type LevelWithSilent } from "pino";

export type { Logger };

/**
 * A pino logger writing JSON lines to stdout, named after the service. Pipe through `pino-pretty`
 * to read it in a terminal (`npm start` does).
 */
export function createLogger(service: string, level: LevelWithSilent = "info"): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}

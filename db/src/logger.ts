/**
 * The logging surface this package needs. A pino logger, `console`, or the
 * silent logger below all fit, so callers choose where messages go.
 */
export type Logger = {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

const ignore = (): void => {};

/** Discards everything: the default, so library code never writes to stdout on its own. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

type LogFn = (fields: Record<string, unknown>, message: string) => void;

/** Structured logging as the use cases need it; a pino logger fits as it is. */
export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

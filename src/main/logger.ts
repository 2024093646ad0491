import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACTED_PATHS, redactedError } from '../adapters/http/index.js';

/** JSON lines on stdout (or `destination`), with secrets and the user data in driver errors censored. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'product-catalog' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // The worker logs failed queries too: the same scrubbing as the HTTP layer's.
    serializers: { err: redactedError },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACTED_PATHS } from '../adapters/http/index.js';

/** JSON lines on stdout (or `destination`), with secrets censored. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'product-catalog' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

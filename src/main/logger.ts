import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.accessKeyId',
  '*.secretAccessKey',
];

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

/** A URL safe to log: the password, if any, replaced. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = 'redacted';
    return url.toString();
  } catch {
    return '[unparseable url]';
  }
}

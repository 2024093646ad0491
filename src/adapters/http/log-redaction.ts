import { stdSerializers, type Logger } from 'pino';
import { redactUrlPasswords } from '../../application/redaction.js';

function redactedError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = stdSerializers.err(error);
  return {
    ...serialized,
    message: redactUrlPasswords(serialized.message),
    stack: redactUrlPasswords(serialized.stack),
  };
}

/**
 * Paths censored in every log line: secret headers should a request or response ever be logged
 * whole, and credentials anywhere one level down. The service's root logger uses the same list,
 * because a pino child's `redact` replaces its parent's rather than adding to it.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.secretAccessKey',
];

/**
 * A child of the service logger for HTTP: errors serialized with their stack and URL passwords
 * removed, secret headers censored. Built once per app; per-request children inherit it cheaply.
 */
export function httpLogger(logger: Logger): Logger {
  return logger.child({}, {
    serializers: { err: redactedError },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
}

import { stdSerializers, type Logger } from 'pino';
import { redactUrlPasswords } from '../../application/redaction.js';

// What drivers attach that quotes user data: the bound values of a failed query (drizzle's
// `params`, postgres.js's `parameters`) and PostgreSQL's `detail` ("Key (email)=(…) already
// exists"). The statement, the SQLSTATE and the constraint stay: they are what one debugs with.
const USER_DATA = new Set(['params', 'parameters', 'detail']);
const PARAMS_LINE = /\nparams: [^\n]*/g;

const scrub = (text: string): string => redactUrlPasswords(text).replace(PARAMS_LINE, '\nparams: [redacted]');

function scrubbed(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > 4) return value;
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, item]): [string, unknown][] => {
      if (USER_DATA.has(key)) return [];
      if (typeof item === 'string') return [[key, scrub(item)]];
      return [[key, scrubbed(item, depth + 1)]];
    }),
  );
}

/** An error as logged: stack and cause kept, URL passwords and the user data drivers quote removed. */
export function redactedError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return scrubbed(stdSerializers.err(error), 0);
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

/** The SQLSTATE and constraint of a PostgreSQL error, as postgres.js and PGlite both report it. */
export interface PgErrorInfo {
  readonly code: string;
  readonly constraint: string | undefined;
}

/**
 * Finds the database error behind `error`: drizzle wraps driver errors in DrizzleQueryError with
 * the driver's error as `cause`, and postgres.js names the constraint `constraint_name` where
 * PGlite says `constraint`.
 */
export function pgErrorOf(error: unknown): PgErrorInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const candidate = current as Error & { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return { code: candidate.code, constraint: typeof constraint === 'string' ? constraint : undefined };
    }
    current = candidate.cause;
  }
  return undefined;
}

/** True when `error` is the violation `code` (a SQLSTATE) of the named constraint. */
export const violates = (error: unknown, code: string, constraint: string): boolean => {
  const info = pgErrorOf(error);
  return info?.code === code && info.constraint === constraint;
};

/**
 * A one-line reason for a failed connect or open. Node reports a refused dual-stack connect as an
 * AggregateError with an empty message, and PGlite's file system throws plain objects
 * (`{ name: 'ErrnoError', errno }`), so messages are not the only source.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && !error.message && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, name, code, errno } = error as Record<string, unknown>;
  if (typeof message === 'string' && message) return message;
  const parts = [name, code, errno].filter((part) => typeof part === 'string' || typeof part === 'number');
  return parts.length > 0 ? parts.join(' ') : JSON.stringify(error);
}

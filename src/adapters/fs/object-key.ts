/** Thrown for a key that could name a file outside the store's directory. */
export class InvalidObjectKeyError extends Error {
  override readonly name = 'InvalidObjectKeyError';

  constructor(key: string, reason: string) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`);
  }
}

/**
 * Refuses keys that are not plain relative paths: with no empty, `.` or `..` segment, no leading
 * slash, backslash or NUL, joining a key under the root can only land inside it.
 */
export function assertValidKey(key: string): void {
  if (key.includes('\0')) throw new InvalidObjectKeyError(key, 'contains NUL');
  // A backslash is a separator on Windows, and a literal character nobody means in a key elsewhere.
  if (key.includes('\\')) throw new InvalidObjectKeyError(key, 'contains a backslash');
  if (key.startsWith('/')) throw new InvalidObjectKeyError(key, 'is absolute');
  const segments = key.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new InvalidObjectKeyError(key, 'has an empty, "." or ".." segment');
  }
}

/** Percent-encodes each segment of a key, leaving the slashes; content-addressed keys come out unchanged. */
export const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

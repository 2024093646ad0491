/** What a key may do: `admin` everything, `user` only what its user owns. */
export type ApiKeyRole = 'admin' | 'user';

/** An issued key as listed: never its secret, which exists only in the client's hands. */
export interface ApiKey {
  /** Public, random; the part of the key that names it (`pc_live_<id>_…`). */
  readonly id: string;
  readonly role: ApiKeyRole;
  /** The user a `user` key acts for; null for admin keys. */
  readonly user_id: number | null;
  readonly created_at: Date;
  /** Updated at most once a minute while the key is used; null until first use. */
  readonly last_used_at: Date | null;
}

/**
 * Keys read `pc_live_<id>_<secret>`: the prefix lets secret scanners (GitHub's, gitleaks) find a
 * leaked key, the id (16 hex digits) names its record, the secret is 32 random bytes in base64url.
 */
export const API_KEY_PREFIX = 'pc_live_';
const KEY_PATTERN = /^pc_live_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;

/** The id and secret of a key in this service's format, or null when `text` is not one. */
export function parseApiKey(text: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(text);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/** The text a client sends for the key with this id and secret. */
export const formatApiKey = (id: string, secret: string): string => `${API_KEY_PREFIX}${id}_${secret}`;

/** Whether `text` can name a key (a path's `{keyId}`); anything else names none. */
export const isApiKeyId = (text: string): boolean => KEY_ID_PATTERN.test(text);

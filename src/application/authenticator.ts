import { ADMIN, parseApiKey, type Actor } from '../domain/index.js';
import type { ApiKeys, StoredApiKey } from './ports/api-keys.js';
import type { KeyCrypto } from './ports/key-crypto.js';

export interface Authenticator {
  /** The actor a bearer token acts for, or null when it is no valid key (malformed, unknown or revoked). */
  authenticate(token: string): Promise<Actor | null>;
  /** Drops this process's cached lookup of a key, after it was revoked here. */
  forget(keyId: string): void;
}

export interface AuthenticatorOptions {
  /** The operator's admin key (ADMIN_API_KEY), held only as its digest. */
  readonly adminKey?: string | undefined;
  /**
   * How long a looked-up key is trusted without asking the store again (500 ms by default). A key
   * revoked on another instance works here at most this long after, so keep it under a second.
   */
  readonly lookupTtlMs?: number;
  /** last_used_at is written at most this often per key (a minute by default). */
  readonly touchIntervalMs?: number;
  /** Keys whose lookup is cached at once (10,000 by default); the oldest go first. */
  readonly maxCachedKeys?: number;
  readonly now?: () => number;
}

/**
 * Checks bearer tokens against the ADMIN_API_KEY and the stored keys. The lookup is by the key's
 * public id; the digest of the whole key is then compared in constant time, so answers take as
 * long whatever part of a guessed secret was right.
 */
export function createAuthenticator(
  deps: { apiKeys: Pick<ApiKeys, 'findById' | 'touch'>; crypto: Pick<KeyCrypto, 'digest' | 'sameDigest'> },
  options: AuthenticatorOptions = {},
): Authenticator {
  const ttlMs = options.lookupTtlMs ?? 500;
  const touchIntervalMs = options.touchIntervalMs ?? 60_000;
  const maxCached = options.maxCachedKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const adminDigest = options.adminKey === undefined ? undefined : deps.crypto.digest(options.adminKey);
  const cached = new Map<string, { key: StoredApiKey; at: number }>();
  // Concurrent requests with a key whose entry expired share one read of the store.
  const loading = new Map<string, Promise<StoredApiKey | null>>();
  const touched = new Map<string, number>();

  async function load(id: string): Promise<StoredApiKey | null> {
    const key = await deps.apiKeys.findById(id);
    cached.delete(id);
    // Unknown ids are not cached: a key created on another instance works here at once.
    if (key) {
      if (cached.size >= maxCached) cached.delete(cached.keys().next().value!);
      cached.set(id, { key, at: now() });
    }
    return key;
  }

  function lookup(id: string): Promise<StoredApiKey | null> | StoredApiKey {
    const entry = cached.get(id);
    if (entry && now() - entry.at < ttlMs) return entry.key;
    let pending = loading.get(id);
    if (!pending) {
      pending = load(id).finally(() => loading.delete(id));
      loading.set(id, pending);
    }
    return pending;
  }

  async function touch(key: StoredApiKey): Promise<void> {
    const last = Math.max(key.last_used_at?.getTime() ?? 0, touched.get(key.id) ?? 0);
    const at = now();
    if (at - last < touchIntervalMs) return;
    if (touched.size >= maxCached) touched.delete(touched.keys().next().value!);
    touched.set(key.id, at);
    await deps.apiKeys.touch(key.id, new Date(at));
  }

  return {
    async authenticate(token) {
      const digest = deps.crypto.digest(token);
      if (adminDigest !== undefined && deps.crypto.sameDigest(digest, adminDigest)) return ADMIN;
      const parsed = parseApiKey(token);
      if (!parsed) return null;
      const key = await lookup(parsed.id);
      if (!key || key.revoked_at !== null || !deps.crypto.sameDigest(digest, key.secret_digest)) return null;
      await touch(key);
      return key.role === 'admin' ? { kind: 'admin', keyId: key.id } : { kind: 'user', userId: key.user_id!, keyId: key.id };
    },
    forget(keyId) {
      cached.delete(keyId);
    },
  };
}

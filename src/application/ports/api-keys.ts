import type { ApiKey, ApiKeyRole } from '../../domain/index.js';

/** A key as stored: its record, the digest of its secret, and whether it was revoked. */
export interface StoredApiKey extends ApiKey {
  /** Hex SHA-256 of the secret; the secret itself is never stored. */
  readonly secret_digest: string;
  readonly revoked_at: Date | null;
}

/** What is stored for a new key: the clock and the database set the times. */
export interface NewApiKey {
  readonly id: string;
  readonly role: ApiKeyRole;
  readonly user_id: number | null;
  readonly secret_digest: string;
}

/**
 * Issued API keys, looked up by their public id. Authentication calls `findById` and `touch`;
 * the key endpoints `create`, `listForUser` and `revoke`; the first start `hasAdmin`.
 */
export interface ApiKeys {
  /** Stores a key; `user.not_found` when `user_id` names no user. */
  create(key: NewApiKey): Promise<ApiKey | 'user.not_found'>;

  /** The key with this id, revoked or not, or null. */
  findById(id: string): Promise<StoredApiKey | null>;

  /** The user's keys not revoked, oldest first. */
  listForUser(userId: number): Promise<ApiKey[]>;

  /** Revokes the user's key; false when the user has no such key not yet revoked. */
  revoke(userId: number, id: string): Promise<boolean>;

  /** Records a use of the key at `at`. */
  touch(id: string, at: Date): Promise<void>;

  /** Whether an admin key not revoked exists. */
  hasAdmin(): Promise<boolean>;
}

import { err, formatApiKey, ok, type ApiKey, type DomainError, type Result } from '../domain/index.js';
import { userNotFound } from './not-found.js';
import type { ApiKeys } from './ports/api-keys.js';
import type { KeyCrypto } from './ports/key-crypto.js';

export interface IssueApiKeyDeps {
  readonly apiKeys: Pick<ApiKeys, 'create'>;
  readonly crypto: Pick<KeyCrypto, 'randomHex' | 'randomBase64Url' | 'digest'>;
}

/** A key just issued: its record, and the key itself, which is shown this once and never stored. */
export interface IssuedApiKey {
  readonly key: ApiKey;
  readonly apiKey: string;
}

/** 64 bits name the key; 256 random bits are its secret. */
const ID_BYTES = 8;
const SECRET_BYTES = 32;

/**
 * Issues a key for `owner`: an admin key, or one acting for a user. Only the SHA-256 digest of
 * the whole key is stored: the secret is unguessable, so no slow hash is needed.
 */
export async function issueApiKey(
  deps: IssueApiKeyDeps,
  owner: { role: 'admin' } | { role: 'user'; userId: number },
): Promise<Result<IssuedApiKey, DomainError>> {
  const id = deps.crypto.randomHex(ID_BYTES);
  const apiKey = formatApiKey(id, deps.crypto.randomBase64Url(SECRET_BYTES));
  const userId = owner.role === 'user' ? owner.userId : null;
  const created = await deps.apiKeys.create({ id, role: owner.role, user_id: userId, secret_digest: deps.crypto.digest(apiKey) });
  if (created === 'user.not_found') return err(userNotFound(userId!));
  return ok({ key: created, apiKey });
}

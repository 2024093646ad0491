import { issueApiKey, type IssueApiKeyDeps } from './issue-api-key.js';
import type { ApiKeys } from './ports/api-keys.js';

/**
 * The first start's admin key: issued when no admin key exists yet, and returned so the caller
 * can show it once; null when one exists already.
 */
export async function ensureAdminKey(deps: IssueApiKeyDeps & { apiKeys: Pick<ApiKeys, 'hasAdmin'> }): Promise<string | null> {
  if (await deps.apiKeys.hasAdmin()) return null;
  const issued = await issueApiKey(deps, { role: 'admin' });
  // An admin key names no user, so it cannot fail on one.
  return issued.ok ? issued.value.apiKey : null;
}

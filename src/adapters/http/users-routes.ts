import { createUserApiKey, getUser, listUserApiKeys, registerUser, revokeUserApiKey, type ApiDeps } from '../../application/index.js';
import { isApiKeyId } from '../../domain/index.js';
import { actorOf } from './authentication.js';
import { createRouter } from './create-router.js';
import { userOperations as op } from './operations/user-operations.js';
import { pathId } from './path-id.js';
import { ProblemError, unwrap } from './problem.js';
import { apiKeyJson } from './schemas/api-key-schemas.js';
import { userJson } from './schemas/user-schemas.js';

/** Users and their API keys. */
export function usersRoutes(deps: Pick<ApiDeps, 'users' | 'apiKeys' | 'crypto' | 'authenticator'>) {
  return createRouter()
    .openapi(op.create, async (c) => {
      const { user, apiKey } = unwrap(await registerUser(deps, actorOf(c), c.req.valid('json')));
      return c.json({ ...userJson(user), api_key: apiKey }, 201, { Location: `/users/${user.id}` });
    })
    .openapi(op.get, async (c) => {
      const user = unwrap(await getUser(deps, pathId(c.req.valid('param').id, 'user'), actorOf(c)));
      return c.json(userJson(user), 200);
    })
    .openapi(op.createKey, async (c) => {
      const issued = unwrap(await createUserApiKey(deps, actorOf(c), pathId(c.req.valid('param').id, 'user')));
      return c.json({ ...apiKeyJson(issued.key), api_key: issued.apiKey }, 201);
    })
    .openapi(op.listKeys, async (c) => {
      const keys = unwrap(await listUserApiKeys(deps, actorOf(c), pathId(c.req.valid('param').id, 'user')));
      return c.json(keys.map(apiKeyJson), 200);
    })
    .openapi(op.revokeKey, async (c) => {
      const { id, keyId } = c.req.valid('param');
      const userId = pathId(id, 'user');
      if (!isApiKeyId(keyId)) throw new ProblemError('api_key.not_found', `User ${userId} has no active API key ${keyId.slice(0, 40)}.`);
      unwrap(await revokeUserApiKey(deps, actorOf(c), userId, keyId));
      return c.body(null, 204);
    });
}

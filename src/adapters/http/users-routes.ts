import { createUser, getUser, type ApiDeps } from '../../application/index.js';
import { createRouter } from './create-router.js';
import { userOperations } from './operations/user-operations.js';
import { pathId } from './path-id.js';
import { unwrap } from './problem.js';
import { userJson } from './schemas/user-schemas.js';

/** POST /users and GET /users/{id}. */
export function usersRoutes(deps: Pick<ApiDeps, 'users'>) {
  return createRouter()
    .openapi(userOperations.create, async (c) => {
      const user = unwrap(await createUser(deps, c.req.valid('json')));
      return c.json(userJson(user), 201, { Location: `/users/${user.id}` });
    })
    .openapi(userOperations.get, async (c) => {
      const user = unwrap(await getUser(deps, pathId(c.req.valid('param').id, 'user')));
      return c.json(userJson(user), 200);
    });
}

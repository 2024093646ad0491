import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '../support/postgres.js';
import { redisUrl } from '../support/redis.js';
import { serviceDeps } from '../support/service-deps.js';
import { httpContract } from './http.contract.js';

// The same endpoint suite as on the fakes, end to end through real PostgreSQL and Redis, wired by
// the service's own composition root.
httpContract('PostgreSQL and Redis', async () => {
  const database = await createTestDatabase();
  const built = await serviceDeps({
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: '4',
    REDIS_URL: await redisUrl(),
    REDIS_PREFIX: `test-http-${randomBytes(4).toString('hex')}`,
  });
  return {
    deps: built.deps.api,
    close: async () => {
      await built.close();
      await database.drop();
    },
  };
});

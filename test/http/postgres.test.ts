import { randomBytes } from 'node:crypto';
import { InMemoryObjectStore } from '../../src/adapters/memory/index.js';
import { connectPostgres, PostgresProductRepo, PostgresUserRepo } from '../../src/adapters/postgres/index.js';
import { RedisCache } from '../../src/adapters/redis/index.js';
import { createProductReader } from '../../src/application/index.js';
import { createTestDatabase } from '../support/postgres.js';
import { redisUrl } from '../support/redis.js';
import { httpContract } from './http.contract.js';

// The same endpoint suite as on the fakes, end to end through real PostgreSQL and Redis.
httpContract('PostgreSQL and Redis', async () => {
  const database = await createTestDatabase();
  const connection = await connectPostgres({ url: database.url, max: 4 });
  const products = new PostgresProductRepo(connection);
  const cache = new RedisCache({ url: await redisUrl(), prefix: `test-http-${randomBytes(4).toString('hex')}` });
  return {
    deps: {
      users: new PostgresUserRepo(connection),
      products,
      objects: new InMemoryObjectStore(),
      cache,
      productReader: createProductReader({ products, cache }),
      probes: [connection.probe],
    },
    close: async () => {
      await cache.close();
      await connection.close();
      await database.drop();
    },
  };
});

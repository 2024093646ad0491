import { InMemoryApiKeys, InMemoryUserRepo } from '../../../src/adapters/memory/index.js';
import { apiKeysContract } from '../../contracts/api-keys.contract.js';

apiKeysContract('in-memory', async () => {
  const users = new InMemoryUserRepo();
  return { users, apiKeys: new InMemoryApiKeys((id) => users.has(id)), close: async () => undefined };
});

import { InMemoryUserRepo, InMemoryWebhooks } from '../../../src/adapters/memory/index.js';
import { webhooksContract } from '../../contracts/webhooks.contract.js';

webhooksContract('in-memory', async () => ({ users: new InMemoryUserRepo(), webhooks: new InMemoryWebhooks(), close: async () => undefined }));

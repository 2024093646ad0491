import { memoryApiDeps } from '../support/memory-deps.js';
import { httpContract } from './http.contract.js';

httpContract('the in-memory fakes', async () => ({ deps: memoryApiDeps().deps, close: async () => undefined }));

import { afterAll, beforeAll } from 'vitest';
import { S3ObjectStore } from '../../../src/adapters/s3/index.js';
import { objectStoreContract } from '../../contracts/object-store.contract.js';
import { startS3Server, type TestS3Server } from '../../support/s3-server.js';

let server: TestS3Server;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server.close();
});

objectStoreContract('S3 (s3rver, or TEST_S3_ENDPOINT)', async () => {
  const store = new S3ObjectStore(server);
  return { store, close: () => store.close() };
});

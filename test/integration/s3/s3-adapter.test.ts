import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore, type S3ObjectStoreOptions } from '../../../src/adapters/s3/index.js';
import { startS3Server, type TestS3Server } from '../../support/s3-server.js';

let server: TestS3Server;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server.close();
});

const aBucketName = () => `catalog-${randomUUID().slice(0, 12)}`;

/** Runs `use` with a store on the test server (overrides for the case at hand), closing it after. */
async function withStore<T>(overrides: Partial<S3ObjectStoreOptions>, use: (store: S3ObjectStore) => Promise<T>): Promise<T> {
  const store = new S3ObjectStore({ ...server, ...overrides });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

describe('S3ObjectStore on a real S3-protocol server', () => {
  it('serves an object at urlFor over plain HTTP, marked immutable', async () => {
    await withStore({}, async (store) => {
      const key = `images/${randomUUID().slice(0, 8)}/a b ü.webp`;
      const bytes = randomBytes(2048);
      await store.put(key, bytes, 'image/webp');
      const response = await fetch(store.urlFor(key));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    });
  });

  it('creates a missing bucket, and leaves an existing one alone', async () => {
    await withStore({ bucket: aBucketName() }, async (store) => {
      await expect(store.probe.check()).rejects.toThrow(/bucket not found/);
      await store.ensureBucket();
      await store.put('kept.webp', new Uint8Array([7]), 'image/webp');
      await store.ensureBucket();
      await expect(store.probe.check()).resolves.toBeUndefined();
      expect(await store.exists('kept.webp')).toBe(true);
    });
  });

  it('lets several callers ensure the same new bucket at once', async () => {
    const bucket = aBucketName();
    const stores = [0, 1, 2].map(() => new S3ObjectStore({ ...server, bucket }));
    try {
      await Promise.all(stores.map((store) => store.ensureBucket()));
      await expect(stores[0]!.probe.check()).resolves.toBeUndefined();
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('creates a bucket outside us-east-1 with its location', async () => {
    await withStore({ bucket: aBucketName(), region: 'eu-west-1' }, async (store) => {
      await store.ensureBucket();
      await expect(store.probe.check()).resolves.toBeUndefined();
    });
  });

  it("fails with the server's reason when it cannot create the bucket", async () => {
    await withStore({ bucket: 'x' }, async (store) => {
      await expect(store.ensureBucket()).rejects.toMatchObject({ name: 'InvalidBucketName' });
    });
  });

  it('throws, rather than finding nothing, when the bucket itself is missing', async () => {
    await withStore({ bucket: aBucketName() }, async (store) => {
      await expect(store.get('images/ab/cd.webp')).rejects.toMatchObject({ name: 'NoSuchBucket' });
    });
  });

  it('names itself s3 and passes its probe when the bucket is there', async () => {
    await withStore({}, async (store) => {
      expect(store.probe.name).toBe('s3');
      await expect(store.probe.check()).resolves.toBeUndefined();
    });
  });
});

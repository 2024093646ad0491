import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../src/adapters/s3/index.js';
import { sweepOrphans, type ListedObject, type ObjectListing } from '../../../src/application/index.js';
import { givenProduct, givenUser } from '../../contracts/given.js';
import { anImageResult } from '../../support/mothers.js';
import { usePostgres } from '../../support/postgres.js';
import { postgresRepos } from '../../support/postgres-repos.js';
import { startS3Server, type TestS3Server } from '../../support/s3-server.js';

const db = usePostgres();
let server: TestS3Server;
let store: S3ObjectStore;
beforeAll(async () => {
  server = await startS3Server();
  store = new S3ObjectStore(server);
  await store.ensureBucket();
});
afterAll(async () => {
  await store.close();
  await server.close();
});

describe('sweepOrphans on PostgreSQL and S3', () => {
  it('never deletes a referenced object (compressed, rendition or source), deletes an old orphan, keeps a young one', async () => {
    // The bucket may be shared: this sweep only sees the objects of this run.
    const run = randomUUID();
    const listing: ObjectListing = {
      async *list(prefix): AsyncIterable<ListedObject> {
        yield* store.list(`${prefix}${run}/`);
      },
    };
    const repos = postgresRepos(db.connection);
    const product = await givenProduct(repos, await givenUser(repos), { product_images: ['https://i.example/a.jpg'] });
    const key = (name: string) => `images/${run}/${name}`;
    const largest = anImageResult({ key: key('large.webp') });
    const small = { ...largest.renditions[0]!, key: key('small.webp'), width: 320 };
    await repos.jobs.complete(product.images[0]!.id, 1, { ...largest, renditions: [small, ...largest.renditions] });
    const upload = `originals/${run}/upload.png`;
    await repos.products.addImage(product.id, { source_url: 'https://u.example/upload.png', source_key: upload });
    for (const [name, size] of [[largest.key, 10], [small.key, 5], [upload, 3], [key('orphan.webp'), 7]] as const) {
      await store.put(name, new Uint8Array(size), 'image/webp');
    }
    const deps = { objects: store, listing, references: repos.references };

    // Everything is a few seconds old: a grace period of an hour keeps it all.
    expect(await sweepOrphans(deps, { graceMs: 3_600_000, dryRun: false })).toEqual({ found: 4, kept: 4, deleted: 0, bytes_freed: 0 });
    expect(await sweepOrphans(deps, { graceMs: 0, dryRun: true })).toEqual({ found: 4, kept: 3, deleted: 1, bytes_freed: 7 });
    expect(await store.exists(key('orphan.webp'))).toBe(true);
    expect(await sweepOrphans(deps, { graceMs: 0, dryRun: false })).toEqual({ found: 4, kept: 3, deleted: 1, bytes_freed: 7 });
    expect(await store.exists(key('orphan.webp'))).toBe(false);
    for (const kept of [largest.key, small.key, upload]) expect(await store.exists(kept)).toBe(true);

    // Once the product is gone nothing references them, and the next sweep frees them.
    await repos.products.delete(product.id);
    expect(await sweepOrphans(deps, { graceMs: 0, dryRun: false })).toEqual({ found: 3, kept: 0, deleted: 3, bytes_freed: 18 });
  });
});

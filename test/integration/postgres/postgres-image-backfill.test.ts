import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPglite, connectPostgres, PostgresImageBackfill, runMigrations, type Connection } from '../../../src/adapters/postgres/index.js';
import { drain, givenProduct, givenUser, processTaskOf } from '../../contracts/given.js';
import { anImageResult } from '../../support/mothers.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { postgresRepos } from '../../support/postgres-repos.js';

let database: TestDatabase;
const connections: Record<string, Connection> = {};
beforeAll(async () => {
  database = await createTestDatabase();
  connections.postgres = await connectPostgres({ url: database.url, max: 4 });
  connections.pglite = await connectPglite();
  await runMigrations(connections.pglite);
});
afterAll(async () => {
  await Promise.all(Object.values(connections).map((connection) => connection.close()));
  await database?.drop();
});

describe.each(['postgres', 'pglite'])('PostgresImageBackfill on %s', (name) => {
  /** A product with three images: two done, one left pending. */
  async function arrange() {
    const repos = postgresRepos(connections[name]!);
    const backfill = new PostgresImageBackfill(connections[name]!);
    const urls = ['https://i.example/a.jpg', 'https://i.example/b.jpg', 'https://i.example/c.jpg'];
    const product = await givenProduct(repos, await givenUser(repos), { product_images: urls });
    const [a, b] = product.images;
    await repos.jobs.complete(a!.id, 1, anImageResult());
    await repos.jobs.complete(b!.id, 1, anImageResult({ placeholder: { thumbhash: 'x', color: '#000000' } }));
    await drain(repos.outbox);
    return { repos, backfill, product, done: [a!.id, b!.id] };
  }

  it('counts and pages the done images of a scope in id order, with what the rule needs', async () => {
    const { backfill, product, done } = await arrange();
    const scope = { productIds: [product.id] };
    expect(await backfill.countDone(scope)).toBe(2);
    expect(await backfill.countDone({ productIds: [] })).toBe(0);
    expect(await backfill.doneImages({ productIds: [] }, 0, 10)).toEqual([]);
    expect(await backfill.countDone({})).toBeGreaterThanOrEqual(2);
    const first = await backfill.doneImages(scope, 0, 1);
    expect(first).toEqual([
      { id: done[0], product_id: product.id, version: 1, renditions: [expect.objectContaining({ width: 640, format: 'webp' })], placeholder: expect.objectContaining({ color: '#808080' }) },
    ]);
    expect((await backfill.doneImages(scope, first[0]!.id, 10)).map((image) => image.id)).toEqual([done[1]]);
    expect(await backfill.doneImages(scope, done[1]!, 10)).toEqual([]);
  });

  it('requeues done images at their version (pending, new version, its task queued, the product bumped) and nothing else', async () => {
    const { repos, backfill, product, done } = await arrange();
    const pending = product.images[2]!.id;
    const before = (await repos.products.findById(product.id))!;
    const requeued = await backfill.requeue([
      { id: done[0]!, version: 1 },
      // Another version (replaced meanwhile) and an image not done: left alone.
      { id: done[1]!, version: 2 },
      { id: pending, version: 1 },
    ]);
    expect(requeued).toEqual({ queued: 1, products: [{ id: product.id, user_id: product.user_id, version: before.version + 1 }] });
    const after = (await repos.products.findById(product.id))!;
    expect(after.images.map((image) => [image.status, image.renditions.length])).toEqual([
      ['pending', 1],
      ['done', 1],
      ['pending', 0],
    ]);
    expect((await drain(repos.outbox)).map((message) => message.task)).toEqual([processTaskOf(product, done[0]!, 2)]);
    // Asked again at the old version, it is moot.
    expect(await backfill.requeue([{ id: done[0]!, version: 1 }])).toEqual({ queued: 0, products: [] });
    expect(await backfill.requeue([])).toEqual({ queued: 0, products: [] });
  });
});

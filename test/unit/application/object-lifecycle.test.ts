import { describe, expect, it } from 'vitest';
import { inMemoryCatalog, InMemoryObjectStore } from '../../../src/adapters/memory/index.js';
import { deleteUnreferenced, storeAllReferenced, storeReferenced, type ObjectLifecycleDeps } from '../../../src/application/index.js';
import type { ImageResult } from '../../../src/domain/index.js';
import { gate } from '../../contracts/given.js';
import { aKey, aNewProduct, anImageResult } from '../../support/mothers.js';

/** A catalog with one product of one pending image, an object store, and the lifecycle's deps. */
async function setUp() {
  const catalog = inMemoryCatalog({ userExists: () => true });
  const objects = new InMemoryObjectStore();
  const created = await catalog.products.create(aNewProduct(1, { product_images: ['https://i.example/a.jpg'] }));
  if (!created.ok) throw new Error(created.error);
  const image = created.value.product.images[0]!;
  const deps: ObjectLifecycleDeps = { objects, references: catalog.references };
  const key = `images/${aKey()}.webp`;
  const result: ImageResult = anImageResult({ key, width: 1, height: 1, bytes: 3 });
  const object = { key, body: new Uint8Array([1, 2, 3]), contentType: 'image/webp' };
  const complete = () => catalog.jobs.complete(image.id, 1, result);
  return { catalog, objects, deps, key, object, complete };
}

const options = { pollMs: 1 };

describe('storeAllReferenced', () => {
  it('deletes what it stored when the commit fails, unless something references it, and rethrows', async () => {
    const { deps, objects, key } = await setUp();
    const other = { key: `images/${aKey()}.webp`, body: new Uint8Array([4]), contentType: 'image/webp' };
    const failing = () => Promise.reject(new Error('connection lost'));
    await expect(
      storeAllReferenced(deps, [{ key, body: new Uint8Array([1]), contentType: 'image/webp' }, other, other], failing, () => true, options),
    ).rejects.toThrow('connection lost');
    expect(objects.keys()).toEqual([]);
  });
});

describe('storeReferenced', () => {
  it('puts the object, commits the reference and returns what the commit returned', async () => {
    const { deps, objects, object, complete, key } = await setUp();
    expect(await storeReferenced(deps, object, complete, (version) => version !== null, options)).toBe(2);
    expect(objects.keys()).toEqual([key]);
  });

  it('deletes the object again when the reference did not apply, unless another image uses it', async () => {
    const { deps, objects, object, key } = await setUp();
    expect(await storeReferenced(deps, object, async () => null, (version) => version !== null, options)).toBeNull();
    expect(objects.keys()).toEqual([]);
    expect(await deps.references.deletionInProgress(key)).toBe(false);
  });

  it('restores the object that a deletion begun before the commit removed', async () => {
    const { deps, objects, object, complete, key } = await setUp();
    const deleting = gate();
    const release = gate();
    // The deleter holds its lease while the object store is slow to delete.
    const store = {
      ...deps.objects,
      delete: async (name: string) => {
        deleting.open();
        await release.opened;
        await objects.delete(name);
      },
    };
    await objects.put(key, object.body, object.contentType);
    const cleanup = deleteUnreferenced({ ...deps, objects: store }, key, options);
    await deleting.opened;
    const writer = storeReferenced(deps, object, complete, (version) => version !== null, options);
    // The writer committed its reference and now waits out the lease.
    release.open();
    expect(await cleanup).toBe(true);
    expect(await writer).toBe(2);
    expect(objects.keys()).toEqual([key]);
  });

  it('stops waiting once a lease expired (its deleter died), and still makes sure of the object', async () => {
    const { deps, objects, object, complete, key } = await setUp();
    expect(await deps.references.beginDeletion(key, 30)).toEqual(expect.any(String));
    expect(await storeReferenced(deps, object, complete, (version) => version !== null, { pollMs: 5, leaseMs: 30 })).toBe(2);
    expect(objects.keys()).toEqual([key]);
  });
});

describe('deleteUnreferenced', () => {
  it('keeps an object an image references, and deletes it once none does', async () => {
    const { catalog, deps, objects, object, complete, key } = await setUp();
    await storeReferenced(deps, object, complete, (version) => version !== null, options);
    expect(await deleteUnreferenced(deps, key, options)).toBe(false);
    expect(objects.keys()).toEqual([key]);
    const [product] = await catalog.products.list({ user_id: 1, limit: 1 });
    await catalog.products.delete(product!.id);
    expect(await deleteUnreferenced(deps, key, options)).toBe(true);
    expect(objects.keys()).toEqual([]);
  });

  it('ends its lease when the store fails, so the next attempt may delete', async () => {
    const { deps, objects, object, key } = await setUp();
    await objects.put(key, object.body, object.contentType);
    const failing = { ...deps.objects, delete: async () => Promise.reject(new Error('storage down')) };
    await expect(deleteUnreferenced({ ...deps, objects: failing }, key, options)).rejects.toThrow('storage down');
    expect(await deps.references.deletionInProgress(key)).toBe(false);
    expect(await deleteUnreferenced(deps, key, options)).toBe(true);
    expect(objects.keys()).toEqual([]);
  });
});

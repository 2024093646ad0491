import { describe, expect, it } from 'vitest';
import { givenProduct, givenUser } from './given.js';
import type { RepoFixture } from './repo-fixture.js';
import { aKey, anImageResult } from '../support/mothers.js';

const LEASE_MS = 60_000;

/** The ObjectReferences port over the same store as the image rows: deletion leases. */
export function objectReferenceCases(repos: () => RepoFixture): void {
  const refs = () => repos().references;
  const givenImages = async (urls: string[]) => givenProduct(repos(), await givenUser(repos()), { product_images: urls });

  describe('ObjectReferences', () => {
    it('grants a lease on an unreferenced key, in progress until it is ended', async () => {
      const key = `images/${aKey()}.webp`;
      expect(await refs().deletionInProgress(key)).toBe(false);
      const token = await refs().beginDeletion(key, LEASE_MS);
      expect(token).toEqual(expect.any(String));
      expect(await refs().deletionInProgress(key)).toBe(true);
      await refs().endDeletion(key, token!);
      expect(await refs().deletionInProgress(key)).toBe(false);
    });

    it('refuses a second lease while one is in progress, and ends only with its own token', async () => {
      const key = `images/${aKey()}.webp`;
      const first = await refs().beginDeletion(key, LEASE_MS);
      expect(await refs().beginDeletion(key, LEASE_MS)).toBeNull();
      await refs().endDeletion(key, 'not-the-token');
      expect(await refs().deletionInProgress(key)).toBe(true);
      await refs().endDeletion(key, first!);
      const second = await refs().beginDeletion(key, LEASE_MS);
      expect(second).toEqual(expect.any(String));
      expect(second).not.toBe(first);
    });

    it('lets an expired lease go: no longer in progress, and taken over by the next deletion', async () => {
      const key = `images/${aKey()}.webp`;
      const stale = await refs().beginDeletion(key, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await refs().deletionInProgress(key)).toBe(false);
      const fresh = await refs().beginDeletion(key, LEASE_MS);
      expect(fresh).toEqual(expect.any(String));
      await refs().endDeletion(key, stale!);
      expect(await refs().deletionInProgress(key)).toBe(true);
    });

    it('grants no lease while an image references the key as its compressed or source object', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const compressed = anImageResult();
      await repos().jobs.complete(product.images[0]!.id, 1, compressed);
      const source = `originals/${aKey()}.png`;
      await repos().products.addImage(product.id, { source_url: 'https://u.example/a.png', source_key: source });
      expect(await refs().beginDeletion(compressed.key, LEASE_MS)).toBeNull();
      expect(await refs().beginDeletion(source, LEASE_MS)).toBeNull();
      await repos().products.delete(product.id);
      expect(await refs().beginDeletion(compressed.key, LEASE_MS)).toEqual(expect.any(String));
      expect(await refs().beginDeletion(source, LEASE_MS)).toEqual(expect.any(String));
    });

    it('grants no lease on a key an image references only as one of its renditions', async () => {
      const product = await givenImages(['https://i.example/a.jpg']);
      const small = { key: `images/${aKey()}.webp`, url: 'https://cdn.example/small.webp', width: 320, height: 200, format: 'webp', bytes: 99 };
      const result = anImageResult();
      await repos().jobs.complete(product.images[0]!.id, 1, { ...result, renditions: [small, ...result.renditions] });
      expect(await refs().beginDeletion(small.key, LEASE_MS)).toBeNull();
      await repos().products.delete(product.id);
      expect(await refs().beginDeletion(small.key, LEASE_MS)).toEqual(expect.any(String));
    });

    it('never lets a lease and a new reference both miss each other, however they interleave', async () => {
      for (let round = 0; round < 10; round += 1) {
        const product = await givenImages([`https://i.example/race-${round}.jpg`]);
        const result = anImageResult();
        const [completed, token] = await Promise.all([
          repos().jobs.complete(product.images[0]!.id, 1, result),
          refs().beginDeletion(result.key, LEASE_MS),
        ]);
        expect(completed).toEqual(expect.any(Number));
        // A lease granted beside the reference began first: the writer must see it afterwards.
        if (token !== null) expect(await refs().deletionInProgress(result.key)).toBe(true);
        else expect(await refs().beginDeletion(result.key, LEASE_MS)).toBeNull();
      }
    });
  });
}

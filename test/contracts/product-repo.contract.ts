import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aNewProduct } from '../support/mothers.js';
import { givenProduct, givenUser, tick } from './given.js';
import { imageJobCases } from './image-jobs.cases.js';
import { objectReferenceCases } from './object-references.cases.js';
import { productBulkCases } from './product-bulk.cases.js';
import { productIdempotencyCases } from './product-idempotency.cases.js';
import { productListCases } from './product-list.cases.js';
import { productEventCases } from './product-events.cases.js';
import { productOutboxCases } from './product-outbox.cases.js';
import { productVersionCases } from './product-version.cases.js';
import type { MakeRepos, RepoFixture } from './repo-fixture.js';

/**
 * The documented behaviour of the ports over the catalog's tables (ProductRepo, ImageJobs,
 * ImageRecovery, ObjectReferences); the fakes and every real adapter run it.
 */
export function productRepoContract(name: string, makeRepos: MakeRepos): void {
  describe(`ProductRepo contract: ${name}`, () => {
    let repos: RepoFixture;
    beforeEach(async () => {
      repos = await makeRepos();
    });
    afterEach(async () => {
      await repos.close();
    });
    const fixture = () => repos;
    productBulkCases(fixture);

    describe('create and findById', () => {
      it('stores the product with one pending image per URL, in order', async () => {
        const userId = await givenUser(repos);
        const input = aNewProduct(userId, { product_images: ['https://a.example/1.jpg', 'https://a.example/2.jpg', 'https://a.example/3.jpg'] });
        const created = await repos.products.create(input);
        if (!created.ok) throw new Error(created.error);
        const { product, replayed } = created.value;
        expect(replayed).toBe(false);
        expect(product).toMatchObject({ ...input, compressed_product_images: [] });
        expect(product.images.map((image) => [image.position, image.source_url, image.status])).toEqual([
          [0, 'https://a.example/1.jpg', 'pending'],
          [1, 'https://a.example/2.jpg', 'pending'],
          [2, 'https://a.example/3.jpg', 'pending'],
        ]);
        expect(product.images[0]).toMatchObject({ compressed_url: null, width: null, height: null, bytes: null, format: null, error: null, attempts: 0 });
        expect(new Set(product.images.map((image) => image.id)).size).toBe(3);
        expect(product.updated_at.getTime()).toBe(product.created_at.getTime());
      });

      it('stores a product without images', async () => {
        const product = await givenProduct(repos, await givenUser(repos), { product_images: [] });
        expect((await repos.products.findById(product.id))?.images).toEqual([]);
      });

      it('finds the product exactly as created', async () => {
        const product = await givenProduct(repos, await givenUser(repos));
        expect(await repos.products.findById(product.id)).toEqual(product);
      });

      it.each([0, 0.01, 0.1, 19.99, 1234.5, 99_999_999.99])('keeps the price %s exact', async (price) => {
        const product = await givenProduct(repos, await givenUser(repos), { product_price: price });
        expect(product.product_price).toBe(price);
        expect((await repos.products.findById(product.id))?.product_price).toBe(price);
      });

      it('refuses an owner that does not exist', async () => {
        expect(await repos.products.create(aNewProduct(987_654_321))).toEqual({ ok: false, error: 'user.not_found' });
      });

      it('finds nothing for an unknown id', async () => {
        expect(await repos.products.findById(987_654_321)).toBeNull();
      });
    });

    describe('update', () => {
      it.each([
        ['product_name', { product_name: 'Renamed' }],
        ['product_description', { product_description: 'Described again' }],
        ['product_price', { product_price: 0.5 }],
      ] as const)('changes only %s and bumps updated_at', async (_field, changes) => {
        const before = await givenProduct(repos, await givenUser(repos));
        await tick();
        const after = await repos.products.update(before.id, changes);
        expect(after).toEqual({ ...before, ...changes, version: before.version + 1, updated_at: after?.updated_at });
        expect(after!.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
        expect(await repos.products.findById(before.id)).toEqual(after);
      });

      it('bumps updated_at even when no field changes', async () => {
        const before = await givenProduct(repos, await givenUser(repos));
        await tick();
        const after = await repos.products.update(before.id, {});
        expect(after!.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
        expect(after!.created_at).toEqual(before.created_at);
      });

      it('keeps rows of URLs still listed, moves them, adds new ones and drops the rest', async () => {
        const [a, b, c, d] = ['https://i.example/a.jpg', 'https://i.example/b.jpg', 'https://i.example/c.jpg', 'https://i.example/d.jpg'];
        const before = await givenProduct(repos, await givenUser(repos), { product_images: [a!, b!, c!] });
        const idOf = (product: { images: readonly { source_url: string; id: number }[] }, url: string) =>
          product.images.find((image) => image.source_url === url)?.id;
        const after = await repos.products.update(before.id, { product_images: [c!, a!, d!] });
        expect(after?.product_images).toEqual([c, a, d]);
        expect(after?.images.map((image) => image.position)).toEqual([0, 1, 2]);
        expect(idOf(after!, c!)).toBe(idOf(before, c!));
        expect(idOf(after!, a!)).toBe(idOf(before, a!));
        expect([idOf(before, a!), idOf(before, b!), idOf(before, c!)]).not.toContain(idOf(after!, d!));
        expect(after?.images[2]).toMatchObject({ source_url: d, status: 'pending', attempts: 0 });
        expect(await repos.products.findById(before.id)).toEqual(after);
      });

      it('swaps and reverses images without tripping over positions', async () => {
        const urls = Array.from({ length: 10 }, (_, i) => `https://i.example/${i}.jpg`);
        const before = await givenProduct(repos, await givenUser(repos), { product_images: urls });
        const reversed = await repos.products.update(before.id, { product_images: [...urls].reverse() });
        expect(reversed?.product_images).toEqual([...urls].reverse());
        expect(reversed?.images.map((image) => image.id)).toEqual(before.images.map((image) => image.id).reverse());
        const swapped = await repos.products.update(before.id, { product_images: urls });
        expect(swapped?.images.map((image) => image.id)).toEqual(before.images.map((image) => image.id));
      });

      it('removes every image when given an empty list', async () => {
        const before = await givenProduct(repos, await givenUser(repos));
        const after = await repos.products.update(before.id, { product_images: [] });
        expect(after?.images).toEqual([]);
        expect((await repos.products.findById(before.id))?.product_images).toEqual([]);
      });

      it('leaves the images alone when product_images is not given', async () => {
        const before = await givenProduct(repos, await givenUser(repos));
        const after = await repos.products.update(before.id, { product_name: 'Only the name' });
        expect(after?.images).toEqual(before.images);
      });

      it('returns null for an unknown product', async () => {
        expect(await repos.products.update(987_654_321, { product_name: 'Nobody' })).toBeNull();
      });
    });

    describe('delete', () => {
      it('removes the product and its images', async () => {
        const userId = await givenUser(repos);
        const product = await givenProduct(repos, userId);
        expect(await repos.products.delete(product.id)).toBe(true);
        expect(await repos.products.findById(product.id)).toBeNull();
        expect(await repos.products.list({ user_id: userId, limit: 10 })).toEqual([]);
        expect(await repos.products.update(product.id, { product_name: 'Gone' })).toBeNull();
      });

      it('reports false when there is nothing to delete', async () => {
        const product = await givenProduct(repos, await givenUser(repos));
        expect(await repos.products.delete(product.id)).toBe(true);
        expect(await repos.products.delete(product.id)).toBe(false);
        expect(await repos.products.delete(987_654_321)).toBe(false);
      });
    });

    productListCases(fixture);
    productIdempotencyCases(fixture);
    productOutboxCases(fixture);
    describe('events', () => productEventCases(fixture));
    imageJobCases(fixture);
    objectReferenceCases(fixture);
    productVersionCases(fixture);
  });
}

import { afterEach, describe, expect, it } from 'vitest';
import { DisabledCache, InProcessCache } from '../../../src/adapters/in-process/index.js';
import {
  createListReader,
  createProduct,
  deleteProduct,
  listPageKey,
  updateProduct,
  type PageRendering,
} from '../../../src/application/index.js';
import { permanentFailure, type Product } from '../../../src/domain/index.js';
import { aNewProduct } from '../../support/mothers.js';
import { pngBytes } from '../../support/pipeline-fakes.js';
import { counting, fixture } from './fixture.js';
import { pipelineFixture } from './pipeline-fixture.js';

const rendering: PageRendering = { render: (product: Product) => JSON.stringify({ id: product.id, name: product.product_name, images: product.images.map((image) => image.status) }), maxBytes: 1024 * 1024 };
const names = (body: string) => (JSON.parse(body) as { name: string }[]).map((item) => item.name);

describe('createListReader', () => {
  it('answers a page once from the database, then from the cache, until a create, an edit or a delete of the user', async () => {
    const { products, cache, user } = await fixture();
    const reader = createListReader({ products, cache });
    const list = async () => {
      const page = await reader.list({ user_id: user.id }, rendering);
      if (!page.ok) throw new Error('list failed');
      return { names: names(page.value.body), hit: page.value.hit };
    };
    const created = await createProduct({ products, cache }, aNewProduct(user.id, { product_name: 'Lamp' }));
    if (!created.ok) throw new Error('not created');
    expect(await list()).toEqual({ names: ['Lamp'], hit: false });
    expect(await list()).toEqual({ names: ['Lamp'], hit: true });

    await createProduct({ products, cache }, aNewProduct(user.id, { product_name: 'Desk' }));
    expect(await list()).toEqual({ names: ['Desk', 'Lamp'], hit: false });
    await updateProduct({ products, cache }, created.value.product.id, { product_name: 'Lantern' }, 'merge');
    expect(await list()).toEqual({ names: ['Desk', 'Lantern'], hit: false });
    expect(await list()).toEqual({ names: ['Desk', 'Lantern'], hit: true });
    await deleteProduct({ products, cache }, created.value.product.id);
    expect(await list()).toEqual({ names: ['Desk'], hit: false });
    expect(reader.stats()).toEqual({ hits: 2, misses: 4, loads: 4 });
  });

  it("keeps other users' pages, caches each query on its own, and keeps the cursor of a cached page", async () => {
    const { products, cache, users, user } = await fixture();
    const other = await users.create({ name: 'Other', email: 'other@example.com' });
    if (!other.ok) throw new Error('no user');
    for (const name of ['A', 'B', 'C']) await createProduct({ products, cache }, aNewProduct(user.id, { product_name: name }));
    await createProduct({ products, cache }, aNewProduct(other.value.id, { product_name: 'Theirs' }));
    const reader = createListReader({ products, cache });
    const first = await reader.list({ user_id: user.id, limit: 2 }, rendering);
    const again = await reader.list({ user_id: user.id, limit: 2 }, rendering);
    expect(first).toMatchObject({ ok: true, value: { hit: false } });
    expect(again).toMatchObject({ ok: true, value: { hit: true, next_cursor: first.ok ? first.value.next_cursor : 'x' } });
    expect(first.ok && first.value.next_cursor).toBeTruthy();
    const theirs = await reader.list({ user_id: other.value.id }, rendering);
    await createProduct({ products, cache }, aNewProduct(other.value.id, { product_name: 'More' }));
    expect(await reader.list({ user_id: user.id, limit: 2 }, rendering)).toMatchObject({ ok: true, value: { hit: true } });
    expect(theirs).toMatchObject({ ok: true, value: { hit: false } });
    expect(await reader.list({ user_id: user.id, limit: 3 }, rendering)).toMatchObject({ ok: true, value: { hit: false, next_cursor: null } });
    expect(await reader.list({ user_id: 'x' }, rendering)).toMatchObject({ ok: false, error: { code: 'validation.failed' } });
  });

  it('names a page by its checked query, aliases resolved, in a stable order', () => {
    expect(listPageKey({ user_id: 1, price_max: 5, limit: 20 })).toBe('limit=20&price_max=5&user_id=1');
    expect(listPageKey({ user_id: 1, product_name: 'a&b {c}' })).toBe('product_name=a%26b%20%7Bc%7D&user_id=1');
  });

  it('shares one query among concurrent misses of one page', async () => {
    const { products, cache, user } = await fixture();
    await createProduct({ products, cache }, aNewProduct(user.id));
    const repo = counting(products, 'list');
    const reader = createListReader({ products: repo.repo, cache });
    const release = repo.hold();
    const pages = Promise.all(Array.from({ length: 8 }, () => reader.list({ user_id: user.id }, rendering)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    const answers = await pages;
    expect(repo.loads()).toBe(1);
    expect(new Set(answers.map((page) => page.ok && page.value.body)).size).toBe(1);
  });

  it('cannot store a page loaded before a write that returned meanwhile', async () => {
    const { products, cache, user } = await fixture();
    const created = await createProduct({ products, cache }, aNewProduct(user.id, { product_name: 'Old' }));
    if (!created.ok) throw new Error('not created');
    const repo = counting(products, 'list');
    const reader = createListReader({ products: repo.repo, cache });
    const release = repo.hold();
    const slow = reader.list({ user_id: user.id }, rendering);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await updateProduct({ products, cache }, created.value.product.id, { product_name: 'New' }, 'merge');
    // A reader that starts after the write does not join the slow load: it queries on its own.
    const fresh = reader.list({ user_id: user.id }, rendering);
    release();
    const old = await slow;
    expect(old.ok && names(old.value.body)).toEqual(['Old']);
    const after = await fresh;
    expect(after.ok && names(after.value.body)).toEqual(['New']);
    expect(await reader.list({ user_id: user.id }, rendering)).toMatchObject({ ok: true, value: { hit: true } });
    const last = await reader.list({ user_id: user.id }, rendering);
    expect(last.ok && names(last.value.body)).toEqual(['New']);
  });

  it('queries for every request when the cache cannot answer', async () => {
    const { products, cache, user } = await fixture();
    await createProduct({ products, cache }, aNewProduct(user.id));
    const repo = counting(products, 'list');
    const reader = createListReader({ products: repo.repo, cache: new DisabledCache() });
    const release = repo.hold();
    const pages = Promise.all([reader.list({ user_id: user.id }, rendering), reader.list({ user_id: user.id }, rendering)]);
    release();
    expect((await pages).map((page) => page.ok && page.value.hit)).toEqual([false, false]);
    expect(repo.loads()).toBe(2);
  });
});

describe('the list cache and the image worker', () => {
  let pipeline: Awaited<ReturnType<typeof pipelineFixture>> | undefined;
  afterEach(async () => {
    await pipeline?.close();
  });

  it('shows every step of a job: pending, then done or failed, never a cached earlier state', async () => {
    pipeline = await pipelineFixture();
    const [good, bad] = ['https://img.example.com/l/good.png', 'https://img.example.com/l/bad.png'];
    pipeline.fetcher.script(good, pngBytes('good'));
    pipeline.fetcher.script(bad, permanentFailure('image.not_an_image', 'not an image'));
    const reader = createListReader({ products: pipeline.products, cache: pipeline.cache as InProcessCache });
    const created = await createProduct(pipeline, aNewProduct(pipeline.user.id, { product_images: [good, bad] }));
    if (!created.ok) throw new Error('not created');
    const first = await reader.list({ user_id: pipeline.user.id }, rendering);
    expect(first.ok && JSON.parse(first.value.body)[0].images).not.toEqual(['done', 'failed']);
    await pipeline.settled(created.value.product.id);
    const settled = await reader.list({ user_id: pipeline.user.id }, rendering);
    expect(settled).toMatchObject({ ok: true, value: { hit: false } });
    expect(settled.ok && JSON.parse(settled.value.body)[0].images).toEqual(['done', 'failed']);
    // start, complete, start, fail: each bumped the user's generation, besides the create.
    expect(pipeline.cache.stats().bumps).toBeGreaterThanOrEqual(5);
  });
});

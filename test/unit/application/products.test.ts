import { describe, expect, it } from 'vitest';
import {
  createProduct,
  deleteProduct,
  getProduct,
  updateProduct,
} from '../../../src/application/index.js';
import { aNewProduct } from '../../support/mothers.js';
import { fixture } from './fixture.js';

describe('createProduct', () => {
  it('stores the product with pending images in the given order', async () => {
    const { products, cache, user } = await fixture();
    const input = aNewProduct(user.id);
    const result = await createProduct({ products, cache }, input);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.replayed).toBe(false);
    expect(result.value.product).toMatchObject({ ...input, compressed_product_images: [] });
    expect(result.value.product.images.map((i) => [i.position, i.status])).toEqual([
      [0, 'pending'],
      [1, 'pending'],
    ]);
    expect(await products.findById(result.value.product.id)).toEqual(result.value.product);
  });

  it('reports every invalid field and writes nothing', async () => {
    const { products, cache, user } = await fixture();
    const result = await createProduct(
      { products, cache },
      { ...aNewProduct(0), product_price: 1.005, product_images: ['javascript:alert(1)'] },
      { idempotencyKey: 'has space' },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'validation.failed' } });
    if (result.ok) return;
    // The key is looked at once the body is valid, as the HTTP API always answered.
    expect(result.error.errors?.map((e) => e.path)).toEqual(['user_id', 'product_images[0]', 'product_price']);
    const badKey = await createProduct({ products, cache }, aNewProduct(user.id), { idempotencyKey: 'has space' });
    expect(badKey).toMatchObject({
      ok: false,
      error: { code: 'validation.failed', errors: [{ path: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' }] },
    });
    expect(await products.list({ user_id: user.id, limit: 10 })).toEqual([]);
  });

  it('takes the input as received: any shape is checked, unknown keys refused', async () => {
    const { products, cache, user } = await fixture();
    expect(await createProduct({ products, cache }, ['not', 'an', 'object'])).toMatchObject({
      ok: false,
      error: { errors: [{ path: '', message: 'Invalid input: expected object, received array' }] },
    });
    expect(await createProduct({ products, cache }, { ...aNewProduct(user.id), id: 7 })).toMatchObject({
      ok: false,
      error: { errors: [{ path: 'id', message: 'is not an accepted field' }] },
    });
    // The stored product and its fingerprint hold the checked fields only.
    const input = aNewProduct(user.id);
    const created = await createProduct({ products, cache }, input, { idempotencyKey: 'only-fields' });
    expect(created.ok && created.value.product).toMatchObject(input);
    expect(await createProduct({ products, cache }, { ...input }, { idempotencyKey: 'only-fields' })).toMatchObject({
      ok: true,
      value: { replayed: true },
    });
    expect(await products.list({ user_id: user.id, limit: 10 })).toHaveLength(1);
  });

  it('rejects an unknown owner with the field at fault', async () => {
    const { products, cache } = await fixture();
    const result = await createProduct({ products, cache }, aNewProduct(999));
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'user.not_found',
        message: 'User 999 does not exist.',
        errors: [{ path: 'user_id', message: 'does not exist' }],
      },
    });
  });

  it('replays the first product for a repeated key and refuses the key for another body', async () => {
    const { products, cache, user } = await fixture();
    const input = aNewProduct(user.id);
    const first = await createProduct({ products, cache }, input, { idempotencyKey: 'order-1' });
    // Same body with keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(input).reverse()) as typeof input;
    const again = await createProduct({ products, cache }, reordered, { idempotencyKey: 'order-1' });
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.value).toEqual({ product: first.value.product, replayed: true });

    const other = await createProduct({ products, cache }, { ...input, product_price: 1 }, { idempotencyKey: 'order-1' });
    expect(other).toMatchObject({ ok: false, error: { code: 'idempotency.key_reused', errors: [{ path: 'Idempotency-Key' }] } });
    expect(await products.list({ user_id: user.id, limit: 10 })).toHaveLength(1);
  });

  it('treats a key older than 24 hours as new', async () => {
    const { products, cache, user, clock } = await fixture();
    const input = aNewProduct(user.id);
    const first = await createProduct({ products, cache }, input, { idempotencyKey: 'k' });
    clock.advance(24 * 60 * 60 * 1000 + 1);
    const later = await createProduct({ products, cache }, input, { idempotencyKey: 'k' });
    // Both must have been created: a failed create would otherwise pass a check on `replayed`.
    if (!first.ok || !later.ok) throw new Error('a create failed');
    expect(later.value.replayed).toBe(false);
    expect(later.value.product.id).not.toBe(first.value.product.id);
  });
});

describe('getProduct and deleteProduct', () => {
  it('finds, deletes, then reports not found', async () => {
    const { products, cache, user } = await fixture();
    const created = await createProduct({ products, cache }, aNewProduct(user.id));
    if (!created.ok) throw new Error('not created');
    const id = created.value.product.id;
    expect(await getProduct({ products }, id)).toMatchObject({ ok: true, value: { id } });
    expect(await deleteProduct({ products, cache }, id)).toEqual({ ok: true, value: undefined });
    expect(await getProduct({ products }, id)).toMatchObject({ ok: false, error: { code: 'product.not_found' } });
    expect(await deleteProduct({ products, cache }, id)).toMatchObject({
      ok: false,
      error: { code: 'product.not_found', message: `Product ${id} does not exist.` },
    });
  });
});

describe('updateProduct', () => {
  it('merges the given fields and keeps the rest', async () => {
    const { products, cache, user, clock } = await fixture();
    const created = await createProduct({ products, cache }, aNewProduct(user.id, { product_price: 10 }));
    if (!created.ok) throw new Error('not created');
    clock.advance(1000);
    const result = await updateProduct({ products, cache }, created.value.product.id, { product_price: 12.5 }, 'merge');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.product_price).toBe(12.5);
    expect(result.value.product_name).toBe(created.value.product.product_name);
    expect(result.value.updated_at.getTime()).toBeGreaterThan(created.value.product.updated_at.getTime());
  });

  it('needs every field to replace, and never changes the owner', async () => {
    const { products, cache, user } = await fixture();
    const created = await createProduct({ products, cache }, aNewProduct(user.id));
    if (!created.ok) throw new Error('not created');
    const id = created.value.product.id;
    const partial = await updateProduct({ products, cache }, id, { product_price: 1 }, 'replace');
    expect(partial).toMatchObject({ ok: false, error: { code: 'validation.failed' } });
    if (!partial.ok) expect(partial.error.errors?.map((e) => e.path)).toEqual(['product_name', 'product_description', 'product_images']);

    // Another user_id is refused: the owner stays, and so does everything else.
    for (const mode of ['merge', 'replace'] as const) {
      const sneaky = { ...aNewProduct(999), product_price: 2 };
      const body = mode === 'merge' ? { product_price: 2, user_id: 999 } : sneaky;
      expect(await updateProduct({ products, cache }, id, body, mode)).toMatchObject({
        ok: false,
        error: { code: 'product.owner_mismatch', errors: [{ path: 'user_id', message: "must be the product's owner" }] },
      });
    }
    expect(await products.findById(id)).toEqual(created.value.product);
    const changed = await updateProduct({ products, cache }, id, { product_price: 2 }, 'merge');
    expect(changed).toMatchObject({ ok: true, value: { user_id: user.id, product_price: 2 } });
  });

  it('takes back what a read returned: output-only fields ignored, the owner restated', async () => {
    const { products, cache, user, clock } = await fixture();
    const created = await createProduct({ products, cache }, aNewProduct(user.id));
    if (!created.ok) throw new Error('not created');
    const read = created.value.product;
    clock.advance(1000);
    const edited = { ...read, product_name: 'Edited', id: 'ignored', version: null, created_at: '2000-01-01', images: 'anything' };
    const replaced = await updateProduct({ products, cache }, read.id, edited, 'replace');
    expect(replaced).toMatchObject({ ok: true, value: { id: read.id, user_id: user.id, product_name: 'Edited', created_at: read.created_at } });
    const merged = await updateProduct({ products, cache }, read.id, { user_id: user.id, compressed_product_images: [], product_price: 3 }, 'merge');
    expect(merged).toMatchObject({ ok: true, value: { product_name: 'Edited', product_price: 3 } });
  });

  it('looks the product up only when the body names an owner', async () => {
    const { products, cache, user } = await fixture();
    const created = await createProduct({ products, cache }, aNewProduct(user.id));
    if (!created.ok) throw new Error('not created');
    let reads = 0;
    const counted = {
      findById: async (id: number) => ((reads += 1), products.findById(id)),
      update: products.update.bind(products),
    };
    const { id } = created.value.product;
    expect(await updateProduct({ products: counted, cache }, id, { product_price: 4 }, 'merge')).toMatchObject({ ok: true });
    expect(reads).toBe(0);
    expect(await updateProduct({ products: counted, cache }, id, { user_id: user.id, product_price: 5 }, 'merge')).toMatchObject({ ok: true });
    expect(reads).toBe(1);
    // An owner named for a product that does not exist: not found, as without it.
    expect(await updateProduct({ products, cache }, 404, { user_id: user.id, product_price: 1 }, 'merge')).toMatchObject({
      ok: false,
      error: { code: 'product.not_found' },
    });
  });

  it('reports an unknown product and invalid changes', async () => {
    const { products, cache } = await fixture();
    expect(await updateProduct({ products, cache }, 404, { product_price: 1 }, 'merge')).toMatchObject({
      ok: false,
      error: { code: 'product.not_found' },
    });
    expect(await updateProduct({ products, cache }, 404, { product_price: -1 }, 'merge')).toMatchObject({
      ok: false,
      error: { code: 'validation.failed', errors: [{ path: 'product_price' }] },
    });
    expect(await updateProduct({ products, cache }, 404, {}, 'merge')).toMatchObject({
      ok: false,
      error: {
        code: 'validation.failed',
        errors: [{ path: '', message: 'must contain at least one of product_name, product_description, product_images, product_price' }],
      },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { createProduct } from '../../src/application/index.js';
import { memoryApiDeps } from '../support/memory-deps.js';
import { aNewUser } from '../support/mothers.js';
import { appWith, problemOf } from './support/http-harness.js';

describe('POST /products/{id}/images/{imageId}/retry', () => {
  async function givenFailedImage() {
    const memory = memoryApiDeps();
    const { app } = appWith(memory.deps);
    const registered = await app.request('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(aNewUser()) });
    const user = (await registered.json()) as { id: number; api_key: string };
    const created = await createProduct(memory.deps, { user_id: user.id, product_name: 'P', product_description: 'd', product_images: ['https://i.example/a.jpg', 'https://i.example/b.jpg'], product_price: 1 });
    if (!created.ok) throw new Error('not created');
    const [failed, pending] = created.value.product.images;
    await memory.jobs.start(failed!.id, 1);
    await memory.jobs.fail(failed!.id, 1, 'image.not_an_image: html', true);
    return { app, user, product: created.value.product, failed: failed!, pending: pending! };
  }

  it('queues a failed image again: 202 with the image pending, and the product shows it', async () => {
    const { app, product, failed, user } = await givenFailedImage();
    const response = await app.request(`/products/${product.id}/images/${failed.id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${user.api_key}` } });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ id: failed.id, status: 'pending', error: null });
    const shown = (await (await app.request(`/products/${product.id}`)).json()) as { images: { status: string }[] };
    expect(shown.images[0]!.status).toBe('pending');
    await problemOf(await app.request(`/products/${product.id}/images/${failed.id}/retry`, { method: 'POST' }), 409, 'image.not_failed');
  });

  it('is 404 for an unknown product or image, 403 for another user, and needs a key', async () => {
    const { app, product, failed, pending } = await givenFailedImage();
    await problemOf(await app.request(`/products/987654321/images/${failed.id}/retry`, { method: 'POST' }), 404, 'product.not_found');
    await problemOf(await app.request(`/products/${product.id}/images/987654321/retry`, { method: 'POST' }), 404, 'image.not_found');
    await problemOf(await app.request(`/products/${product.id}/images/abc/retry`, { method: 'POST' }), 404, 'image.not_found');
    await problemOf(await app.request(`/products/${product.id}/images/${pending.id}/retry`, { method: 'POST' }), 409, 'image.not_failed');
    const registered = await app.request('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(aNewUser()) });
    const other = (await registered.json()) as { api_key: string };
    await problemOf(await app.request(`/products/${product.id}/images/${failed.id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${other.api_key}` } }), 403, 'auth.forbidden');
    await problemOf(await app.request(`/products/${product.id}/images/${failed.id}/retry`, { method: 'POST', headers: { authorization: '' } }), 401, 'auth.unauthenticated');
  });
});

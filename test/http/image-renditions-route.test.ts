import { describe, expect, it } from 'vitest';
import { memoryApiDeps } from '../support/memory-deps.js';
import { aNewProduct, aNewUser, anImageResult } from '../support/mothers.js';
import { appWith } from './support/http-harness.js';

/** A product with a done image (WebP and AVIF at 320 and 1600) and a pending one. */
async function setup() {
  const { deps, users, products, jobs } = memoryApiDeps();
  const user = await users.create(aNewUser());
  if (!user.ok) throw new Error('no user');
  const created = await products.create(aNewProduct(user.value.id, { product_images: ['https://i.example/a.jpg', 'https://i.example/b.jpg'] }));
  if (!created.ok) throw new Error('no product');
  const [done, pending] = created.value.product.images.map((image) => image.id) as [number, number];
  const rendition = (width: number, format: string) => ({ key: `images/${width}.${format}`, url: `https://cdn.example/${width}.${format}`, width, height: width / 2, format, bytes: width });
  const largest = rendition(1600, 'webp');
  const result = anImageResult({ ...largest, renditions: [rendition(320, 'webp'), rendition(320, 'avif'), rendition(1600, 'avif'), largest] });
  await jobs.start(done, 1);
  await jobs.complete(done, 1, result);
  return { ...appWith(deps), done, pending };
}

describe('GET /images/:imageId', () => {
  it('redirects to the rendition for the width, in the best format the Accept allows, varying on Accept', async () => {
    const { app, done } = await setup();
    const cases: [string, string | undefined, string][] = [
      ['?width=300', 'image/avif,image/webp,*/*', 'https://cdn.example/320.avif'],
      ['?width=300', 'image/webp,*/*', 'https://cdn.example/320.webp'],
      ['?width=321', 'image/webp', 'https://cdn.example/1600.webp'],
      ['?width=9000', 'image/avif', 'https://cdn.example/1600.avif'],
      ['', undefined, 'https://cdn.example/1600.webp'],
    ];
    for (const [query, accept, location] of cases) {
      const response = await app.request(`/images/${done}${query}`, { headers: accept ? { accept } : {} });
      expect(response.status, `${query} ${accept}`).toBe(302);
      expect(response.headers.get('location'), `${query} ${accept}`).toBe(location);
      expect(response.headers.get('vary')).toBe('Accept');
      expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    }
  });

  it('answers 404 for an unknown image and 409 with the status for one not done yet', async () => {
    const { app, pending } = await setup();
    for (const path of ['/images/999999', '/images/abc']) {
      const unknown = await app.request(path);
      expect(unknown.status, path).toBe(404);
      expect(unknown.headers.get('content-type')).toBe('application/problem+json');
      expect(await unknown.json()).toMatchObject({ code: 'image.not_found' });
    }
    const waiting = await app.request(`/images/${pending}?width=320`);
    expect(waiting.status).toBe(409);
    expect(await waiting.json()).toMatchObject({ code: 'image.not_ready', detail: expect.stringContaining('pending') });
  });

  it.each(['0', '-5', '1.5', 'wide', '16385'])('refuses width=%s with a problem naming the field', async (width) => {
    const { app, done } = await setup();
    const response = await app.request(`/images/${done}?width=${width}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'validation.failed', errors: [{ path: 'width' }] });
  });
});

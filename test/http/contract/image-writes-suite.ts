import { describe, expect, it } from 'vitest';
import { pngBytes } from '../../support/pipeline-fakes.js';
import type { Http } from '../support/http-harness.js';

const upload = (bytes: Uint8Array) => {
  const body = new FormData();
  body.set('file', new Blob([new Uint8Array(bytes)]), 'photo.png');
  return { method: 'POST', body };
};

/**
 * Writes to one product's images racing each other: PUT, PATCH and uploads, the same file twice
 * included. Every answer is a 2xx or a 4xx problem, and the product ends consistent: positions
 * 0..n-1, no URL twice, at most the image limit.
 */
export function imageWritesSuite(http: Http): void {
  describe('concurrent writes to one product\'s images', () => {
    const url = (i: number) => `https://images.example/race/${i}.jpg`;

    it('serialize: no 5xx, and the product is consistent afterwards', async () => {
      const user = await http.newUser();
      const product = await http.newProduct(user.id, { product_images: [url(0), url(1)] });
      const path = `/products/${product.id}`;
      const writes = Array.from({ length: 60 }, (_, i) => {
        switch (i % 4) {
          case 0:
            return http.send('PUT', path, {
              product_name: `Race ${i}`,
              product_description: '',
              product_images: [url(i), url(i + 1)],
              product_price: 1,
            });
          case 1:
            return http.send('PATCH', path, { product_images: [url(i + 1), url(i)] });
          case 2:
            return http.request(`${path}/images`, upload(pngBytes(`same-${i % 8}`)));
          default:
            return http.request(`${path}/images`, upload(pngBytes('always the same')));
        }
      });
      const responses = await Promise.all(writes);
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      for (const response of responses.filter((r) => r.status >= 400)) {
        expect(response.headers.get('content-type')).toBe('application/problem+json');
      }
      const after = (await (await http.request(path)).json()) as { product_images: string[]; images: { position: number }[] };
      expect(new Set(after.product_images).size).toBe(after.product_images.length);
      expect(after.images.map((image) => image.position)).toEqual(after.images.map((_, i) => i));
      expect(after.product_images.length).toBeLessThanOrEqual(10);
      // And the product still takes an ordinary replacement.
      const put = await http.send('PUT', path, { product_name: 'After', product_description: '', product_images: [url(98), url(99)], product_price: 2 });
      expect(put.status).toBe(200);
      expect(((await put.json()) as { product_images: string[] }).product_images).toEqual([url(98), url(99)]);
    });

    it('uploading the same file twice keeps one image, and a PUT of two new URLs afterwards works', async () => {
      const user = await http.newUser();
      const product = await http.newProduct(user.id, { product_images: [] });
      const path = `/products/${product.id}`;
      const [first, second] = await Promise.all([http.request(`${path}/images`, upload(pngBytes('twin'))), http.request(`${path}/images`, upload(pngBytes('twin')))]);
      expect([first.status, second.status].sort()).toEqual([200, 202]);
      const put = await http.send('PUT', path, { product_name: 'P', product_description: '', product_images: [url(1), url(2)], product_price: 1 });
      expect(put.status).toBe(200);
      expect(((await put.json()) as { product_images: string[] }).product_images).toEqual([url(1), url(2)]);
    });
  });
}

import { expect } from 'vitest';
import type { ProductImage } from '../../src/domain/index.js';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { eventually } from '../support/eventually.js';

export interface ProductBody {
  id: number;
  product_images: string[];
  compressed_product_images: string[];
  images: ProductImage[];
}

/** A small HTTP client for the catalog API, as a user of the service would drive it, with the test admin key. */
export function catalogClient(base: string) {
  const post = async (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION }, body: JSON.stringify(body) });

  return {
    async user(): Promise<number> {
      const response = await post('/users', { name: 'E2E', email: `e2e-${Date.now()}-${Math.random()}@example.com` });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: number }).id;
    },
    async product(user_id: number, product_images: string[]): Promise<ProductBody> {
      const response = await post('/products', {
        user_id,
        product_name: 'E2E product',
        product_description: 'made by a test',
        product_images,
        product_price: 10,
      });
      expect(response.status).toBe(201);
      return (await response.json()) as ProductBody;
    },
    async get(id: number): Promise<ProductBody> {
      const response = await fetch(`${base}/products/${id}`, { headers: ADMIN_AUTHORIZATION });
      expect(response.status).toBe(200);
      return (await response.json()) as ProductBody;
    },
    /** Waits until no image of the product is pending or processing. */
    async settled(id: number, timeoutMs = 60_000): Promise<ProductBody> {
      return eventually(
        async () => {
          const product = await this.get(id);
          const busy = product.images.filter((image) => image.status !== 'done' && image.status !== 'failed');
          if (busy.length > 0) throw new Error(`product ${id} has images still in progress: ${JSON.stringify(busy)}`);
          return product;
        },
        { timeout: timeoutMs, interval: 100 },
      );
    },
  };
}

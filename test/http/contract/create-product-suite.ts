import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aNewProduct } from '../../support/mothers.js';
import { MISSING_ID, problemOf, type Http } from '../support/http-harness.js';

const longUrl = (length: number) => {
  const prefix = 'https://images.example.com/';
  return prefix + 'a'.repeat(length - prefix.length);
};

export function createProductSuite(http: Http): void {
  describe('POST /products', () => {
    it('creates a product: 201, Location, the whole product with pending images', async () => {
      const user = await http.newUser();
      const input = aNewProduct(user.id);
      const response = await http.send('POST', '/products', input);
      expect(response.status).toBe(201);
      expect(response.headers.get('idempotent-replayed')).toBeNull();
      const product = (await response.json()) as { id: number; created_at: string; updated_at: string };
      expect(response.headers.get('location')).toBe(`/products/${product.id}`);
      expect(product).toEqual({
        id: expect.any(Number),
        ...input,
        compressed_product_images: [],
        images: input.product_images.map((source_url, position) => ({
          id: expect.any(Number),
          position,
          source_url,
          status: 'pending',
          compressed_url: null,
          width: null,
          height: null,
          bytes: null,
          format: null,
          error: null,
          attempts: 0,
          renditions: [],
          placeholder: null,
          reused: false,
        })),
        created_at: expect.any(String),
        updated_at: product.created_at,
      });
      expect(new Date(product.created_at).toISOString()).toBe(product.created_at);
      const read = await http.request(`/products/${product.id}`);
      expect(await read.json()).toEqual(product);
    });

    it.each([
      { name: 'the lowest price', product_price: 0 },
      { name: 'the highest price', product_price: 99_999_999.99 },
      { name: 'a 2048-character URL', product_images: [longUrl(2048)] },
      { name: 'ten images', product_images: Array.from({ length: 10 }, (_, i) => `http://images.example.com/${i}.png`) },
      { name: 'no images', product_images: [] },
      { name: 'a name of 200 emoji (200 code points, 400 UTF-16 units)', product_name: '\u{1F600}'.repeat(200) },
      { name: 'a name with space around it', product_name: '  \u{1F600}  ' },
    ])('accepts $name', async ({ name: _name, ...override }) => {
      const user = await http.newUser();
      const input = aNewProduct(user.id, override);
      const response = await http.send('POST', '/products', input);
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ product_price: input.product_price, product_images: input.product_images });
    });

    it.each([
      ['a price with 3 decimals', { product_price: 19.999 }, 'product_price', 'must have at most 2 fraction digits'],
      ['a negative price', { product_price: -1 }, 'product_price', 'must be greater than or equal to 0'],
      ['a price over the maximum', { product_price: 100_000_000 }, 'product_price', 'must be less than or equal to 99999999.99'],
      ['a price as text', { product_price: '19.99' }, 'product_price', 'must be a number'],
      ['11 images', { product_images: Array.from({ length: 11 }, (_, i) => `https://x.example.com/${i}`) }, 'product_images', 'must have at most 10 items'],
      ['an ftp:// URL', { product_images: ['https://x.example.com/a', 'ftp://x.example.com/b'] }, 'product_images[1]', 'must be an absolute http or https URL'],
      ['a relative URL', { product_images: ['/images/a.png'] }, 'product_images[0]', 'must be an absolute http or https URL'],
      ['a 2049-character URL', { product_images: [longUrl(2049)] }, 'product_images[0]', 'must have at most 2048 characters'],
      ['a URL listed twice', { product_images: ['https://x.example.com/a', 'https://x.example.com/a'] }, 'product_images[1]', 'is listed twice'],
      ['images not in an array', { product_images: 'https://x.example.com/a' }, 'product_images', 'must be an array of URLs'],
      ['a blank name', { product_name: '   ' }, 'product_name', 'must not be empty'],
      ['a name that is a long array', { product_name: Array.from({ length: 300 }, () => 'n') }, 'product_name', 'must be a string'],
      ['a 201-character name', { product_name: 'n'.repeat(201) }, 'product_name', 'must have at most 200 characters'],
      ['a 5001-character description', { product_description: 'd'.repeat(5001) }, 'product_description', 'must have at most 5000 characters'],
      ['an unknown field', { colour: 'red' }, 'colour', 'is not an accepted field'],
      ['a read-only field', { id: 7 }, 'id', 'is not an accepted field'],
      ['a fractional user_id', { user_id: 1.5 }, 'user_id', 'must be a positive integer'],
      ['a user_id of 0', { user_id: 0 }, 'user_id', 'must be a positive integer'],
      ['a user_id over 2^53 - 1', { user_id: 2 ** 53 }, 'user_id', 'must be a positive integer'],
      ['a name of 201 emoji', { product_name: '\u{1F600}'.repeat(201) }, 'product_name', 'must have at most 200 characters'],
      ['a name of tabs and newlines', { product_name: '\t\n\u00a0' }, 'product_name', 'must not be empty'],
      ['a NUL in the name', { product_name: 'a\u0000b' }, 'product_name', 'must not contain the NUL character (U+0000)'],
      ['a NUL in the description', { product_description: '\u0000' }, 'product_description', 'must not contain the NUL character (U+0000)'],
      ['a NUL in an image URL', { product_images: ['https://images.example/a\u0000.jpg'] }, 'product_images[0]', 'must not contain the NUL character (U+0000)'],
      ['a lone surrogate in the name', { product_name: '\ud800x' }, 'product_name', 'must not contain an unpaired surrogate (U+D800 to U+DFFF)'],
      ['a lone surrogate in the description', { product_description: 'x\udc00' }, 'product_description', 'must not contain an unpaired surrogate (U+D800 to U+DFFF)'],
    ])('rejects %s with 400 naming %s', async (_name, override, path, message) => {
      const user = await http.newUser();
      const response = await http.send('POST', '/products', { ...aNewProduct(user.id), ...override });
      const problem = await problemOf(response, 400, 'validation.failed');
      expect(problem.errors).toEqual([{ path, message }]);
      // Nothing was stored: a rejected price is never rounded and kept.
      const list = await http.request(`/products?user_id=${user.id}`);
      expect(await list.json()).toEqual([]);
    });

    it('reports every missing field at once', async () => {
      const response = await http.send('POST', '/products', {});
      const problem = await problemOf(response, 400, 'validation.failed');
      expect(problem.errors).toEqual(
        ['user_id', 'product_name', 'product_description', 'product_images', 'product_price'].map((path) => ({ path, message: 'is required' })),
      );
    });

    it('an unknown user_id is 422 user.not_found naming user_id', async () => {
      const response = await http.send('POST', '/products', aNewProduct(MISSING_ID));
      const problem = await problemOf(response, 422, 'user.not_found');
      expect(problem.errors).toEqual([{ path: 'user_id', message: 'does not exist' }]);
      expect(problem.title).toBe('User not found');
    });

    it('an Idempotency-Key replay answers 201 with the same body and Location, and creates nothing', async () => {
      const user = await http.newUser();
      const input = aNewProduct(user.id);
      const key = { 'Idempotency-Key': `create-${randomUUID()}` };
      const first = await http.send('POST', '/products', input, key);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      // Same meaning, keys in another order: still a replay.
      const reordered = Object.fromEntries(Object.entries(input).reverse());
      const second = await http.send('POST', '/products', reordered, key);
      expect(second.status).toBe(201);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.headers.get('location')).toBe(first.headers.get('location'));
      expect(await second.json()).toEqual(await first.json());
      const list = await http.request(`/products?user_id=${user.id}`);
      expect(await list.json()).toHaveLength(1);
    });

    it('the same Idempotency-Key with another body is 422 idempotency.key_reused', async () => {
      const user = await http.newUser();
      const key = { 'Idempotency-Key': `reuse-${randomUUID()}` };
      expect((await http.send('POST', '/products', aNewProduct(user.id), key)).status).toBe(201);
      const response = await http.send('POST', '/products', aNewProduct(user.id), key);
      const problem = await problemOf(response, 422, 'idempotency.key_reused');
      expect(problem.errors).toEqual([{ path: 'Idempotency-Key', message: 'was used with another body' }]);
    });

    it('the Idempotency-Key is checked once the body is valid', async () => {
      const response = await http.send('POST', '/products', { ...aNewProduct(MISSING_ID), product_price: -1 }, { 'Idempotency-Key': 'has space' });
      const problem = await problemOf(response, 400, 'validation.failed');
      expect(problem.errors).toEqual([{ path: 'product_price', message: 'must be greater than or equal to 0' }]);
    });

    it('a lone surrogate with an Idempotency-Key is 400, never stored nor fingerprinted', async () => {
      const user = await http.newUser();
      const key = { 'Idempotency-Key': `surrogate-${randomUUID()}` };
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await http.send('POST', '/products', aNewProduct(user.id, { product_name: '\ud800x' }), key);
        expect((await problemOf(response, 400, 'validation.failed')).errors?.map((error) => error.path)).toEqual(['product_name']);
      }
      // The key was never recorded: a valid body with it creates the product.
      expect((await http.send('POST', '/products', aNewProduct(user.id), key)).status).toBe(201);
    });

    it('an over-long Idempotency-Key is 400 naming the header', async () => {
      const user = await http.newUser();
      const response = await http.send('POST', '/products', aNewProduct(user.id), { 'Idempotency-Key': 'k'.repeat(256) });
      const problem = await problemOf(response, 400, 'validation.failed');
      expect(problem.errors?.map((error) => error.path)).toEqual(['Idempotency-Key']);
    });
  });
}

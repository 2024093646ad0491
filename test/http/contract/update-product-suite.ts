import { describe, expect, it } from 'vitest';
import { MISSING_ID, problemOf, type Http } from '../support/http-harness.js';

const replacement = {
  product_name: 'Renamed',
  product_description: 'New description',
  product_images: ['https://images.example.com/new.png'],
  product_price: 5.5,
};

type ProductBody = typeof replacement & { id: number; user_id: number; created_at: string; updated_at: string; images: { id: number; source_url: string; position: number }[] };

export function updateProductSuite(http: Http): void {
  describe('GET, PUT, PATCH, DELETE /products/{id}', () => {
    it('GET returns the product', async () => {
      const user = await http.newUser();
      const product = await http.newProduct(user.id);
      const response = await http.request(`/products/${product.id}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(product);
    });

    it('PUT replaces every mutable field and keeps the owner', async () => {
      const user = await http.newUser();
      const product = (await http.newProduct(user.id)) as unknown as ProductBody;
      const response = await http.send('PUT', `/products/${product.id}`, replacement);
      expect(response.status).toBe(200);
      const updated = (await response.json()) as ProductBody;
      expect(updated).toMatchObject({ ...replacement, id: product.id, user_id: user.id, created_at: product.created_at });
      expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(product.updated_at));
      expect(await (await http.request(`/products/${product.id}`)).json()).toEqual(updated);
    });

    it('PUT without every field is 400 naming the missing one', async () => {
      const user = await http.newUser();
      const product = await http.newProduct(user.id);
      const { product_price: _price, ...partial } = replacement;
      const response = await http.send('PUT', `/products/${product.id}`, partial);
      expect((await problemOf(response, 400, 'validation.failed')).errors).toEqual([{ path: 'product_price', message: 'is required' }]);
    });

    it('PATCH changes only the given fields; a kept image keeps its row', async () => {
      const user = await http.newUser();
      const product = (await http.newProduct(user.id)) as unknown as ProductBody;
      const [first, second] = product.images;
      const patch = { product_price: 7.25, product_images: [second?.source_url, 'https://images.example.com/c.webp'] };
      const response = await http.send('PATCH', `/products/${product.id}`, patch);
      expect(response.status).toBe(200);
      const updated = (await response.json()) as ProductBody;
      expect(updated).toMatchObject({ ...patch, product_name: product.product_name, product_description: product.product_description });
      expect(updated.images[0]).toMatchObject({ id: second?.id, position: 0 });
      expect(updated.images.map((image) => image.id)).not.toContain(first?.id);
    });

    it.each([
      ['PATCH', {}, '', 'must contain at least one of product_name, product_description, product_images, product_price'],
      // The owner and the output-only fields may come along, but they change nothing.
      ['PATCH', { user_id: 2 }, '', 'must contain at least one of product_name, product_description, product_images, product_price'],
      ['PUT', { ...replacement, user_id: 'me' }, 'user_id', 'must be a positive integer'],
      ['PATCH', { created_at: '2020-01-01T00:00:00.000Z' }, '', 'must contain at least one of product_name, product_description, product_images, product_price'],
      ['PATCH', { product_price: 1, colour: 'red' }, 'colour', 'is not an accepted field'],
      ['PUT', { ...replacement, owner: 2 }, 'owner', 'is not an accepted field'],
      ['PATCH', { product_name: 'a\u0000b' }, 'product_name', 'must not contain the NUL character (U+0000)'],
      ['PUT', { ...replacement, product_images: ['https://images.example/\ud800.png'] }, 'product_images[0]', 'must not contain an unpaired surrogate (U+D800 to U+DFFF)'],
      ['PATCH', { product_price: 1.001 }, 'product_price', 'must have at most 2 fraction digits'],
      ['PATCH', { product_images: ['ftp://x.example.com/a'] }, 'product_images[0]', 'must be an absolute http or https URL'],
      ['PATCH', { product_name: null }, 'product_name', 'must be a string'],
    ])('%s %j is 400 naming "%s"', async (method, body, path, message) => {
      const user = await http.newUser();
      const product = await http.newProduct(user.id);
      const response = await http.send(method, `/products/${product.id}`, body);
      expect((await problemOf(response, 400, 'validation.failed')).errors).toEqual([{ path, message }]);
      // The owner never changes, nor does anything else on a rejected request.
      expect(await (await http.request(`/products/${product.id}`)).json()).toEqual(product);
    });

    it('PUT of the body GET returned, edited, is 200: output-only fields are ignored, the owner kept', async () => {
      const user = await http.newUser();
      const product = await http.newProduct(user.id);
      const read = (await (await http.request(`/products/${product.id}`)).json()) as ProductBody;
      // What a client does: change a field, send the whole object back (Google AIP-203).
      const edited = { ...read, version: 99, product_name: 'Edited name', product_images: [...read.product_images].reverse() };
      const response = await http.send('PUT', `/products/${product.id}`, edited);
      expect(response.status).toBe(200);
      const updated = (await response.json()) as ProductBody;
      expect(updated).toMatchObject({ id: read.id, user_id: user.id, product_name: 'Edited name', created_at: read.created_at });
      expect(updated.product_images).toEqual(edited.product_images);
      // The image rows were kept (moved), not replaced by what the body said about them.
      expect(updated.images.map((image) => image.id)).toEqual([...read.images].reverse().map((image) => image.id));
    });

    it('PATCH may carry the GET body too; the output-only fields say nothing', async () => {
      const user = await http.newUser();
      const product = (await http.newProduct(user.id)) as unknown as ProductBody;
      const body = { ...product, id: 1, created_at: 'yesterday', images: [], compressed_product_images: ['https://x.example/a'], product_price: 8.5 };
      const response = await http.send('PATCH', `/products/${product.id}`, body);
      expect(response.status).toBe(200);
      const updated = (await response.json()) as ProductBody;
      expect(updated).toMatchObject({ id: product.id, product_price: 8.5, created_at: product.created_at, compressed_product_images: [] });
      expect(updated.images.map((image) => image.id)).toEqual(product.images.map((image) => image.id));
    });

    it.each(['PUT', 'PATCH'])('%s naming another user_id is 409 product.owner_mismatch naming user_id, and changes nothing', async (method) => {
      const [owner, other] = [await http.newUser(), await http.newUser()];
      const product = await http.newProduct(owner.id);
      const response = await http.send(method, `/products/${product.id}`, { ...replacement, user_id: other.id });
      const problem = await problemOf(response, 409, 'product.owner_mismatch');
      expect(problem.errors).toEqual([{ path: 'user_id', message: "must be the product's owner" }]);
      expect(problem.title).toBe('Owner cannot change');
      expect(await (await http.request(`/products/${product.id}`)).json()).toEqual(product);
    });

    it('PUT naming an owner on a product that does not exist is 404', async () => {
      const user = await http.newUser();
      const response = await http.send('PUT', `/products/${MISSING_ID}`, { ...replacement, user_id: user.id });
      await problemOf(response, 404, 'product.not_found');
      const text = await http.send('PATCH', '/products/abc', { product_price: 1, user_id: user.id });
      expect((await problemOf(text, 404, 'product.not_found')).detail).toBe('Product abc does not exist.');
    });

    it('DELETE answers 204, then GET and a second DELETE answer 404', async () => {
      const user = await http.newUser();
      const product = await http.newProduct(user.id);
      const deleted = await http.request(`/products/${product.id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(204);
      expect(await deleted.text()).toBe('');
      await problemOf(await http.request(`/products/${product.id}`), 404, 'product.not_found');
      await problemOf(await http.request(`/products/${product.id}`, { method: 'DELETE' }), 404, 'product.not_found');
    });

    const ids = [String(MISSING_ID), 'abc', '0', '-3', '1e3', '99999999999999999999'];
    it.each(ids)('PUT and PATCH /products/%s with an invalid body are 400: the body is checked first', async (id) => {
      const path = `/products/${id}`;
      for (const [method, body] of [['PUT', { ...replacement, product_price: -1 }], ['PATCH', {}]] as const) {
        const problem = await problemOf(await http.send(method, path, body), 400, 'validation.failed');
        expect(problem.instance).toBe(path);
      }
    });

    it.each(ids)('GET, PUT, PATCH, DELETE /products/%s are 404 product.not_found', async (id) => {
      const path = `/products/${id}`;
      const responses = [
        await http.request(path),
        await http.send('PUT', path, replacement),
        await http.send('PATCH', path, { product_price: 1 }),
        await http.request(path, { method: 'DELETE' }),
      ];
      for (const response of responses) {
        const problem = await problemOf(response, 404, 'product.not_found');
        expect(problem.instance).toBe(path);
      }
    });
  });
}

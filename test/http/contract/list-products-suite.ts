import { describe, expect, it } from 'vitest';
import { appWith, nextUrl, problemOf, type Http } from '../support/http-harness.js';

type Listed = { id: number; user_id: number; product_price: number; product_name: string };

export function listProductsSuite(http: Http): void {
  describe('GET /products', () => {
    const ownedBy = async (userId: number, prices: number[], names: string[] = []) => {
      const ids: number[] = [];
      for (const [index, product_price] of prices.entries()) {
        const name = names[index];
        ids.push((await http.newProduct(userId, { product_price, ...(name && { product_name: name }) })).id);
      }
      return ids;
    };
    const list = async (query: string) => {
      const response = await http.request(`/products?${query}`);
      expect(response.status).toBe(200);
      return { response, items: (await response.json()) as Listed[] };
    };

    it("lists only the user's products, newest first, without Link on the last page", async () => {
      const [user, other] = [await http.newUser(), await http.newUser()];
      const ids = await ownedBy(user.id, [10, 20, 30]);
      await ownedBy(other.id, [15]);
      const { response, items } = await list(`user_id=${user.id}`);
      expect(items.map((item) => item.id)).toEqual([...ids].reverse());
      expect(response.headers.get('link')).toBeNull();
    });

    it('says X-Cache MISS, then HIT, and MISS again with the new product after a create', async () => {
      const user = await http.newUser();
      const [id] = await ownedBy(user.id, [10]);
      const first = await list(`user_id=${user.id}`);
      const second = await list(`user_id=${user.id}`);
      expect([first.response.headers.get('x-cache'), second.response.headers.get('x-cache')]).toContain('MISS');
      expect(second.items).toEqual(first.items);
      const [added] = await ownedBy(user.id, [20]);
      const third = await list(`user_id=${user.id}`);
      expect(third.response.headers.get('x-cache')).toBe('MISS');
      expect(third.items.map((item) => item.id)).toEqual([added, id]);
    });

    it('a user without products gets an empty array', async () => {
      const user = await http.newUser();
      expect((await list(`user_id=${user.id}`)).items).toEqual([]);
    });

    it.each([
      ['price_min=20', [30, 20]],
      ['price_max=20', [20, 10]],
      ['price_min=20&price_max=20', [20]],
      ['min_price=20', [30, 20]],
      ['max_price=20', [20, 10]],
      ['min_price=10.5&max_price=29.99', [20]],
      ['price_min=20&min_price=20', [30, 20]],
    ])('filters by price, bounds inclusive: %s', async (filter, prices) => {
      const user = await http.newUser();
      await ownedBy(user.id, [10, 20, 30]);
      const { items } = await list(`user_id=${user.id}&${filter}`);
      expect(items.map((item) => item.product_price)).toEqual(prices);
    });

    it('filters by a case-insensitive substring of the name', async () => {
      const user = await http.newUser();
      await ownedBy(user.id, [1, 2, 3], ['Walnut Desk', 'Oak chair', 'DESK lamp']);
      const { items } = await list(`user_id=${user.id}&product_name=desk`);
      expect(items.map((item) => item.product_name)).toEqual(['DESK lamp', 'Walnut Desk']);
    });

    it.each([
      ['', 'user_id', 'is required'],
      ['user_id=abc', 'user_id', 'must be a positive integer'],
      ['user_id=0', 'user_id', 'must be a positive integer'],
      ['user_id=99999999999999999999', 'user_id', 'must be a positive integer'],
      ['user_id=1&price_min=30&price_max=20', 'price_min', 'must be less than or equal to price_max'],
      ['user_id=1&min_price=30&max_price=20', 'price_min', 'must be less than or equal to price_max'],
      ['user_id=1&price_min=-1', 'price_min', 'must be greater than or equal to 0'],
      ['user_id=1&price_max=1.999', 'price_max', 'must have at most 2 fraction digits'],
      ['user_id=1&price_max=1e3', 'price_max', 'must be a number'],
      ['user_id=1&price_min=', 'price_min', 'must be a number'],
      ['user_id=1&price_min=10&min_price=20', 'min_price', 'conflicts with price_min'],
      ['user_id=1&price_max=10&max_price=20', 'max_price', 'conflicts with price_max'],
      ['user_id=1&limit=0', 'limit', 'must be an integer from 1 to 200'],
      ['user_id=1&limit=201', 'limit', 'must be an integer from 1 to 200'],
      ['user_id=1&limit=ten', 'limit', 'must be an integer'],
      ['user_id=1&cursor=not-a-cursor', 'cursor', 'is not a cursor this service issued'],
      [`user_id=1&product_name=${'n'.repeat(201)}`, 'product_name', 'must have at most 200 characters'],
      ['user_id=1&limit=00200', 'limit', 'must be an integer'],
      ['user_id=1&product_name=a%00b', 'product_name', 'must not contain the NUL character (U+0000)'],
      [`user_id=1&product_name=${'%F0%9F%98%80'.repeat(201)}`, 'product_name', 'must have at most 200 characters'],
      ['user_id=9007199254740992', 'user_id', 'must be a positive integer'],
      ['user_id=1&limit=1&limit=2', 'limit', 'must be an integer'],
      ['user_id=1&cursor=a&cursor=b', 'cursor', 'must be a string'],
      // The cursor and the bounds against each other are looked at once the rest is well-formed.
      ['user_id=0&cursor=not-a-cursor', 'user_id', 'must be a positive integer'],
      ['user_id=1&price_min=30&price_max=20&limit=0', 'limit', 'must be an integer from 1 to 200'],
    ])('rejects "%s" with 400 naming %s', async (query, path, message) => {
      const response = await http.request(`/products?${query}`);
      const problem = await problemOf(response, 400, 'validation.failed');
      expect(problem.errors).toEqual([{ path, message }]);
    });

    it('takes a name filter of 200 emoji: lengths count code points', async () => {
      const user = await http.newUser();
      await ownedBy(user.id, [1], ['\u{1F600}'.repeat(200)]);
      const { items } = await list(`user_id=${user.id}&product_name=${'%F0%9F%98%80'.repeat(200)}`);
      expect(items).toHaveLength(1);
    });

    it('walks every page through Link: each product once, newest first, filters kept in canonical names', async () => {
      const user = await http.newUser();
      const ids = await ownedBy(user.id, [5, 50, 51, 52, 53, 54, 55, 56]);
      const wanted = ids.slice(1).reverse(); // the 5.00 product is below the bound
      const seen: number[] = [];
      let url: string | null = `/products?user_id=${user.id}&min_price=50&limit=3`;
      let pages = 0;
      while (url !== null) {
        // Without a configured public base the Link is relative to the request's URL.
        const response = await http.request(url);
        expect(response.status).toBe(200);
        seen.push(...((await response.json()) as Listed[]).map((item) => item.id));
        pages += 1;
        url = nextUrl(response);
        if (url !== null) {
          expect(url.startsWith('/products?')).toBe(true);
          const params = Object.fromEntries(new URL(url, 'http://localhost').searchParams);
          expect(params).toEqual({ user_id: String(user.id), price_min: '50', limit: '3', cursor: expect.any(String) });
        }
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(wanted);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('never writes the request\'s Host header into Link', async () => {
      const user = await http.newUser();
      await ownedBy(user.id, [1, 2]);
      const response = await http.request(`/products?user_id=${user.id}&limit=1`, { headers: { host: 'evil.example' } });
      expect(response.headers.get('link')).toMatch(/^<\/products\?user_id=\d+&limit=1&cursor=[\w-]+>; rel="next"$/);
    });

    it('ends a page early when its JSON would pass the byte budget, and the next page goes on from there', async () => {
      const user = await http.newUser();
      const description = 'ü'.repeat(4000);
      const ids = await Promise.all([1, 2, 3, 4, 5].map(async () => (await http.newProduct(user.id, { product_description: description })).id));
      const { app } = appWith(http.deps, { listMaxBytes: 20_000 });
      const seen: number[] = [];
      let url: string | null = `/products?user_id=${user.id}&limit=200`;
      while (url !== null) {
        const response = await app.request(url);
        const text = await response.text();
        const page = JSON.parse(text) as Listed[];
        expect(page.length).toBeGreaterThan(0);
        // One product alone is ~8 KB of UTF-8: two fit in 20,000 bytes, a third would not.
        expect(page.length).toBeLessThanOrEqual(2);
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(20_000);
        seen.push(...page.map((item) => item.id));
        url = nextUrl(response);
      }
      expect(seen).toEqual([...ids].sort((a, b) => b - a));
    });

    it('pages hold 50 products by default', async () => {
      const user = await http.newUser();
      await ownedBy(user.id, Array.from({ length: 51 }, (_, i) => i));
      const first = await list(`user_id=${user.id}`);
      expect(first.items).toHaveLength(50);
      const next = nextUrl(first.response);
      expect(next).not.toBeNull();
      const second = await http.app.request(next ?? '');
      expect(await second.json()).toMatchObject([{ product_price: 0 }]);
    });

    it.each([
      ['https://api.example.com/catalog', 'https://api.example.com/catalog/products?'],
      ['https://api.example.com/', 'https://api.example.com/products?'],
    ])('builds Link on publicBaseUrl %s', async (publicBaseUrl, prefix) => {
      const user = await http.newUser();
      await ownedBy(user.id, [1, 2]);
      const { app } = appWith(http.deps, { publicBaseUrl });
      const response = await app.request(`/products?user_id=${user.id}&limit=1&product_name=product`);
      expect(response.status).toBe(200);
      const url = nextUrl(response) ?? '';
      expect(url.startsWith(prefix)).toBe(true);
      expect(new URL(url).searchParams.get('product_name')).toBe('product');
    });
  });
}

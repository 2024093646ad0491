import { describe, expect, it } from 'vitest';
import type { ProductQuery } from '../../src/application/index.js';
import { givenProduct, givenUser } from './given.js';
import type { RepoFixture } from './repo-fixture.js';

/** ProductRepo.list: ordering, each filter alone and combined, bounds, keyset and limit. */
export function productListCases(repos: () => RepoFixture): void {
  describe('list', () => {
    const names = async (query: ProductQuery) => (await repos().products.list(query)).map((product) => product.product_name);

    /** A user owning products named and priced as given, created in this order. */
    async function givenCatalog(items: readonly (readonly [string, number])[]) {
      const userId = await givenUser(repos());
      const products = [];
      for (const [product_name, product_price] of items) {
        products.push(await givenProduct(repos(), userId, { product_name, product_price }));
      }
      return { userId, products };
    }

    it("returns only the user's products, newest first, with their images", async () => {
      const { userId, products } = await givenCatalog([['First', 1], ['Second', 2], ['Third', 3]]);
      await givenCatalog([['Someone else', 2]]);
      const listed = await repos().products.list({ user_id: userId, limit: 10 });
      expect(listed.map((product) => product.product_name)).toEqual(['Third', 'Second', 'First']);
      expect(listed).toEqual([...products].reverse());
    });

    it('returns nothing for a user without products', async () => {
      expect(await repos().products.list({ user_id: await givenUser(repos()), limit: 10 })).toEqual([]);
    });

    it('returns at most limit products', async () => {
      const { userId } = await givenCatalog([['A', 1], ['B', 1], ['C', 1]]);
      expect(await names({ user_id: userId, limit: 2 })).toEqual(['C', 'B']);
      expect(await names({ user_id: userId, limit: 1 })).toEqual(['C']);
    });

    it('filters by an inclusive lower price bound alone', async () => {
      const { userId } = await givenCatalog([['Cheap', 9.99], ['Exact', 10], ['Dear', 10.01]]);
      expect(await names({ user_id: userId, price_min: 10, limit: 10 })).toEqual(['Dear', 'Exact']);
    });

    it('filters by an inclusive upper price bound alone', async () => {
      const { userId } = await givenCatalog([['Cheap', 9.99], ['Exact', 10], ['Dear', 10.01]]);
      expect(await names({ user_id: userId, price_max: 10, limit: 10 })).toEqual(['Exact', 'Cheap']);
    });

    it('filters by an inclusive price range, including a range of one price', async () => {
      const { userId } = await givenCatalog([['Free', 0], ['Low', 5], ['Mid', 7.5], ['High', 10], ['Top', 99_999_999.99]]);
      expect(await names({ user_id: userId, price_min: 5, price_max: 10, limit: 10 })).toEqual(['High', 'Mid', 'Low']);
      expect(await names({ user_id: userId, price_min: 7.5, price_max: 7.5, limit: 10 })).toEqual(['Mid']);
      expect(await names({ user_id: userId, price_min: 0, price_max: 0, limit: 10 })).toEqual(['Free']);
      expect(await names({ user_id: userId, price_min: 99_999_999.99, limit: 10 })).toEqual(['Top']);
    });

    it('matches a name substring regardless of case', async () => {
      const { userId } = await givenCatalog([['Red Chair', 1], ['blue CHAIRS', 1], ['Table', 1]]);
      expect(await names({ user_id: userId, name_contains: 'chair', limit: 10 })).toEqual(['blue CHAIRS', 'Red Chair']);
      expect(await names({ user_id: userId, name_contains: 'ED CH', limit: 10 })).toEqual(['Red Chair']);
    });

    it('matches %, _ and \\ in the name literally', async () => {
      const { userId } = await givenCatalog([
        ['100% cotton', 1], ['1000 cotton', 1], ['snake_case', 1], ['snakeXcase', 1], ['back\\slash', 1], ['backslash', 1],
      ]);
      expect(await names({ user_id: userId, name_contains: '%', limit: 10 })).toEqual(['100% cotton']);
      expect(await names({ user_id: userId, name_contains: '0% c', limit: 10 })).toEqual(['100% cotton']);
      expect(await names({ user_id: userId, name_contains: 'e_c', limit: 10 })).toEqual(['snake_case']);
      expect(await names({ user_id: userId, name_contains: 'k\\s', limit: 10 })).toEqual(['back\\slash']);
    });

    it('continues after a keyset position', async () => {
      const { userId, products } = await givenCatalog([['A', 1], ['B', 1], ['C', 1], ['D', 1]]);
      expect(await names({ user_id: userId, after_id: products[2]!.id, limit: 10 })).toEqual(['B', 'A']);
      expect(await names({ user_id: userId, after_id: products[0]!.id, limit: 10 })).toEqual([]);
    });

    it('pages through every product once', async () => {
      const { userId, products } = await givenCatalog(Array.from({ length: 7 }, (_, i) => [`P${i}`, i] as const));
      const seen: number[] = [];
      let after: number | undefined;
      for (let page = 0; page < 10; page += 1) {
        const rows = await repos().products.list({ user_id: userId, limit: 3, ...(after !== undefined && { after_id: after }) });
        if (rows.length === 0) break;
        seen.push(...rows.map((product) => product.id));
        after = rows[rows.length - 1]!.id;
      }
      expect(seen).toEqual(products.map((product) => product.id).reverse());
    });

    it('combines price range, name and keyset', async () => {
      const { userId, products } = await givenCatalog([
        ['Lamp one', 5], ['Lamp two', 50], ['Desk', 20], ['Lamp three', 20], ['Lamp four', 25], ['Lamp five', 15],
      ]);
      const query = { user_id: userId, price_min: 10, price_max: 25, name_contains: 'LAMP', limit: 10 };
      expect(await names(query)).toEqual(['Lamp five', 'Lamp four', 'Lamp three']);
      expect(await names({ ...query, after_id: products[4]!.id })).toEqual(['Lamp three']);
      expect(await names({ ...query, limit: 1 })).toEqual(['Lamp five']);
    });
  });
}

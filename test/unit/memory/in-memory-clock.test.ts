import { describe, expect, it } from 'vitest';
import { InMemoryProductRepo, InMemoryUserRepo } from '../../../src/adapters/memory/index.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';

describe('in-memory repositories without a clock', () => {
  it('stamp records with the current time', async () => {
    const before = Date.now();
    const users = new InMemoryUserRepo();
    const products = new InMemoryProductRepo({ userExists: (id) => users.has(id) });
    const user = await users.create(aNewUser());
    if (!user.ok) throw new Error(user.error);
    const product = await products.create(aNewProduct(user.value.id));
    if (!product.ok) throw new Error(product.error);
    const after = Date.now();
    for (const stamp of [user.value.created_at, product.value.product.created_at]) {
      expect(stamp.getTime()).toBeGreaterThanOrEqual(before);
      expect(stamp.getTime()).toBeLessThanOrEqual(after);
    }
  });
});

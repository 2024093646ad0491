import type { NewProduct, Product } from '../../src/domain/index.js';
import { aNewProduct, aNewUser } from '../support/mothers.js';
import type { RepoFixture } from './repo-fixture.js';

/** A stored user's id. */
export async function givenUser(repos: RepoFixture): Promise<number> {
  const created = await repos.users.create(aNewUser());
  if (!created.ok) throw new Error(`could not arrange a user: ${created.error}`);
  return created.value.id;
}

/** A stored product of `userId`. */
export async function givenProduct(repos: RepoFixture, userId: number, overrides: Partial<NewProduct> = {}): Promise<Product> {
  const created = await repos.products.create(aNewProduct(userId, overrides));
  if (!created.ok) throw new Error(`could not arrange a product: ${created.error}`);
  return created.value.product;
}

/** Lets the clock move on so a later write gets a later timestamp. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/** A key no other test uses. */
export const aKey = (): string => `key-${Math.random().toString(36).slice(2)}-${Date.now()}`;

import type { NewProduct, NewUser } from '../../src/domain/index.js';

let sequence = 0;
const next = () => ++sequence;

/** A valid new user with a unique email; override what the test is about. */
export const aNewUser = (overrides: Partial<NewUser> = {}): NewUser => {
  const n = next();
  return { name: `User ${n}`, email: `user-${n}-${Date.now()}@example.com`, ...overrides };
};

/** A valid new product for `user_id`; override what the test is about. */
export const aNewProduct = (user_id: number, overrides: Partial<NewProduct> = {}): NewProduct => {
  const n = next();
  return {
    user_id,
    product_name: `Product ${n}`,
    product_description: `Description of product ${n}`,
    product_images: [`https://images.example.com/${n}/a.jpg`, `https://images.example.com/${n}/b.png`],
    product_price: 19.99,
    ...overrides,
  };
};

import { InProcessCache } from '../../../src/adapters/in-process/index.js';
import { InMemoryProductRepo, InMemoryUserRepo } from '../../../src/adapters/memory/index.js';
import { createUser, type ProductRepo } from '../../../src/application/index.js';
import { aNewUser } from '../../support/mothers.js';

/** Fresh fakes with a controllable clock, plus one existing user. */
export async function fixture() {
  let now = new Date('2026-03-01T12:00:00Z');
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
  const users = new InMemoryUserRepo(clock.now);
  const products = new InMemoryProductRepo({ userExists: (id) => users.has(id), now: clock.now });
  const created = await createUser({ users }, aNewUser());
  if (!created.ok) throw new Error('fixture user was not created');
  const cache = new InProcessCache({ now: () => clock.now().getTime() });
  return { users, products, cache, clock, user: created.value };
}

/** A ProductRepo whose `method` (findById or list) counts calls and can be held open until released. */
export function counting(products: ProductRepo, method: 'findById' | 'list') {
  let loads = 0;
  let gate: Promise<void> | undefined;
  const repo: ProductRepo = Object.create(products) as ProductRepo;
  const read = products[method].bind(products) as (...args: unknown[]) => Promise<unknown>;
  (repo as unknown as Record<typeof method, (...args: unknown[]) => Promise<unknown>>)[method] = async (...args) => {
    loads += 1;
    const answer = await read(...args);
    await gate;
    return answer;
  };
  return {
    repo,
    loads: () => loads,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

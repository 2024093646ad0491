import { InProcessCache } from '../../../src/adapters/in-process/index.js';
import { InMemoryProductRepo, InMemoryUserRepo } from '../../../src/adapters/memory/index.js';
import { createUser } from '../../../src/application/index.js';
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

import { describe, expect, it } from 'vitest';
import { createUser, getUser } from '../../../src/application/index.js';
import { fixture } from './fixture.js';

describe('createUser and getUser', () => {
  it('stores a trimmed name and a normalized email, and finds the user', async () => {
    const { users } = await fixture();
    const created = await createUser({ users }, { name: '  Ada Lovelace ', email: ' Ada@Example.COM ' });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(await getUser({ users }, created.value.id)).toEqual({ ok: true, value: created.value });
  });

  it('refuses a taken email whatever its case', async () => {
    const { users } = await fixture();
    await createUser({ users }, { name: 'A', email: 'same@example.com' });
    const again = await createUser({ users }, { name: 'B', email: 'SAME@example.com' });
    expect(again).toEqual({
      ok: false,
      error: {
        code: 'user.email_taken',
        message: 'A user with email same@example.com already exists.',
        errors: [{ path: 'email', message: 'is already taken' }],
      },
    });
  });

  it('reports invalid input and unknown users', async () => {
    const { users } = await fixture();
    expect(await createUser({ users }, { name: '', email: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'validation.failed' },
    });
    expect(await getUser({ users }, 999)).toMatchObject({ ok: false, error: { code: 'user.not_found' } });
  });
});

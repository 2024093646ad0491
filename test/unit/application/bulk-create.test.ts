import { describe, expect, it } from 'vitest';
import { bulkCreateProducts, type BulkResult, type ReceivedItem } from '../../../src/application/index.js';
import { aNewProduct } from '../../support/mothers.js';
import { fixture } from './fixture.js';

const all = async (results: AsyncIterable<BulkResult>) => {
  const seen: BulkResult[] = [];
  for await (const result of results) seen.push(result);
  return seen;
};
const codes = (results: BulkResult[]) => results.map(({ outcome }) => (outcome.ok ? 'created' : outcome.error.code));
const items = (values: unknown[]): ReceivedItem[] => values.map((value) => ({ ok: true, value }));

describe('bulkCreateProducts', () => {
  it('stores in chunks, answers in order, and refuses what comes past maxItems', async () => {
    const { products, cache, user } = await fixture();
    let calls = 0;
    const counted = { createMany: (...args: Parameters<typeof products.createMany>) => ((calls += 1), products.createMany(...args)) };
    const values = [aNewProduct(user.id), { bad: true }, aNewProduct(user.id), aNewProduct(user.id), aNewProduct(user.id)];
    const run = bulkCreateProducts({ products: counted, cache }, items(values), { chunkSize: 2, maxItems: 4 });
    if (!run.ok) throw new Error('refused');
    const results = await all(run.value);
    expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4]);
    expect(codes(results)).toEqual(['created', 'validation.failed', 'created', 'created', 'bulk.too_many_items']);
    expect(calls).toBe(2);
    expect(await products.list({ user_id: user.id, limit: 10 })).toHaveLength(3);
  });

  it('reads and checks the next chunk while one is stored, and gives results only after their chunk committed', async () => {
    const { products, cache, user } = await fixture();
    const events: string[] = [];
    const slow = {
      createMany: async (...args: Parameters<typeof products.createMany>) => {
        events.push(`store ${args[0].length}`);
        const outcomes = await products.createMany(...args);
        events.push('committed');
        return outcomes;
      },
    };
    async function* received(): AsyncGenerator<ReceivedItem> {
      for (let i = 0; i < 5; i += 1) {
        events.push(`read ${i}`);
        yield { ok: true, value: aNewProduct(user.id) };
      }
    }
    const run = bulkCreateProducts({ products: slow, cache }, received(), { chunkSize: 2 });
    if (!run.ok) throw new Error('refused');
    for await (const result of run.value) events.push(`result ${result.index}`);
    expect(events).toEqual([
      'read 0', 'read 1', 'store 2', 'read 2', 'read 3', 'committed', 'result 0', 'result 1',
      'store 2', 'read 4', 'committed', 'result 2', 'result 3', 'store 1', 'committed', 'result 4',
    ]);
  });

  it('a body that breaks while a chunk is stored fails the stream once that chunk has committed', async () => {
    const { products, cache, user } = await fixture();
    let committed = 0;
    const counting = {
      createMany: async (...args: Parameters<typeof products.createMany>) => {
        const outcomes = await products.createMany(...args);
        committed += 1;
        return outcomes;
      },
    };
    async function* broken(): AsyncGenerator<ReceivedItem> {
      yield { ok: true, value: aNewProduct(user.id) };
      yield { ok: true, value: aNewProduct(user.id) };
      throw new Error('connection reset');
    }
    const run = bulkCreateProducts({ products: counting, cache }, broken(), { chunkSize: 2 });
    if (!run.ok) throw new Error('refused');
    await expect(all(run.value)).rejects.toThrow('connection reset');
    // The chunk sent before the body broke was not abandoned halfway: it committed alone.
    expect(committed).toBe(1);
    expect(await products.list({ user_id: user.id, limit: 10 })).toHaveLength(2);
  });

  it('fails the stream with the error of a chunk that could not be stored, after the chunks before it', async () => {
    const { products, cache, user } = await fixture();
    let calls = 0;
    const failing = {
      createMany: (...args: Parameters<typeof products.createMany>) => ((calls += 1), calls === 2 ? Promise.reject(new Error('database gone')) : products.createMany(...args)),
    };
    const run = bulkCreateProducts({ products: failing, cache }, items(Array.from({ length: 6 }, () => aNewProduct(user.id))), { chunkSize: 2 });
    if (!run.ok) throw new Error('refused');
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const result of run.value) seen.push(result.index);
      })(),
    ).rejects.toThrow('database gone');
    expect(seen).toEqual([0, 1]);
  });

  it('atomic: refuses more than 1,000 items, and a failed transport item makes nothing be created', async () => {
    const { products, cache, user } = await fixture();
    const many = bulkCreateProducts({ products, cache }, items(Array.from({ length: 1_001 }, () => aNewProduct(user.id))), { atomic: true });
    if (!many.ok) throw new Error('refused');
    const results = await all(many.value);
    expect(results).toHaveLength(1_001);
    expect(codes(results).slice(-2)).toEqual(['bulk.not_created', 'bulk.too_many_items']);
    const broken: ReceivedItem[] = [{ ok: true, value: aNewProduct(user.id) }, { ok: false, error: { code: 'validation.failed', message: 'not JSON', errors: [] } }];
    const run = bulkCreateProducts({ products, cache }, broken, { atomic: true });
    if (!run.ok) throw new Error('refused');
    expect(codes(await all(run.value))).toEqual(['bulk.not_created', 'validation.failed']);
    expect(await products.list({ user_id: user.id, limit: 10 })).toHaveLength(0);
  });

  it('refuses a malformed Idempotency-Key before reading anything', () => {
    expect(bulkCreateProducts({ products: { createMany: async () => [] }, cache: { invalidate: async () => undefined, bump: async () => undefined } }, [], { idempotencyKey: '' })).toMatchObject({
      ok: false,
      error: { code: 'validation.failed' },
    });
  });
});

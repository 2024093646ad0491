import { describe, expect, it } from 'vitest';
import { InMemoryOutbox, InMemoryProductRepo } from '../../../src/adapters/memory/index.js';
import { outboxContract } from '../../contracts/outbox.contract.js';
import { aNewProduct } from '../../support/mothers.js';

outboxContract('in-memory', async () => {
  const outbox = new InMemoryOutbox();
  const products = new InMemoryProductRepo({ userExists: () => false, outbox });
  return {
    outbox,
    write: async (tasks, context) => outbox.add(tasks, context),
    // The fake's writes cannot half-happen: a failing one queues nothing.
    failedWrite: async () => {
      await products.create(aNewProduct(1));
    },
    read: () => products.findById(1),
    close: () => products.close(),
  };
});

describe('InMemoryOutbox', () => {
  it('shows what waits, and is what a repository writes into by default', async () => {
    const products = new InMemoryProductRepo({ userExists: () => true });
    const created = await products.create(aNewProduct(1, { product_images: ['https://i.example/a.jpg'] }), { requestId: 'req' });
    if (!created.ok) throw new Error(created.error);
    const image = created.value.product.images[0]!;
    expect(products.outbox.pending).toEqual([
      { id: '1', task: { type: 'image.process', product_id: created.value.product.id, image_id: image.id, version: 1 }, request_id: 'req' },
      { id: '2', task: { type: 'event.publish', event: expect.objectContaining({ type: 'product.created' }) }, request_id: 'req' },
    ]);
  });

  it('queues nothing and calls no listener for a write without tasks', async () => {
    const outbox = new InMemoryOutbox();
    let calls = 0;
    await outbox.onAdded(() => {
      calls += 1;
    });
    outbox.add([], { requestId: 'req' });
    outbox.add([{ type: 'object.delete', key: 'k' }], undefined);
    await Promise.resolve();
    expect(calls).toBe(1);
    expect(outbox.pending).toHaveLength(1);
  });
});

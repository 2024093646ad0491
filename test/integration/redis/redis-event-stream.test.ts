import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RedisEventStream } from '../../../src/adapters/redis/index.js';
import { createEventFeed, type CatalogEvent } from '../../../src/application/index.js';
import { Redis } from 'ioredis';
import { eventually } from '../../support/eventually.js';
import { redisUrl } from '../../support/redis.js';

const anEvent = (id: string): CatalogEvent => ({
  id,
  type: 'product.deleted',
  timestamp: new Date(0).toISOString(),
  product_id: 1,
  user_id: 1,
  data: { product_id: 1, image: { id: 1, position: 0, source_url: 'https://i.example/a', status: 'done', compressed_url: null, width: 1, height: 1, bytes: 1, format: 'webp', error: null, attempts: 1, renditions: [], placeholder: null, reused: false } },
});

describe('RedisEventStream', () => {
  it('carries an event published by one instance to the feeds of every instance on the prefix', async () => {
    const url = await redisUrl();
    const prefix = `test-events-${randomBytes(4).toString('hex')}`;
    const [worker, apiA, apiB, elsewhere] = await Promise.all([
      RedisEventStream.connect({ url, prefix }),
      RedisEventStream.connect({ url, prefix }),
      RedisEventStream.connect({ url, prefix }),
      RedisEventStream.connect({ url, prefix: `${prefix}-other` }),
    ]);
    try {
      const feeds = await Promise.all([apiA, apiB, elsewhere].map((stream) => createEventFeed({ stream })));
      const [a, b, other] = feeds.map((feed) => feed.subscribe({}));
      const heardElsewhere: CatalogEvent[] = [];
      const unsubscribe = await elsewhere.subscribe((event) => heardElsewhere.push(event));
      await worker.publish(anEvent('evt_redis_1'));
      expect([await a!.next(), await b!.next()]).toEqual([anEvent('evt_redis_1'), anEvent('evt_redis_1')]);
      // Published after the first: once the first arrived elsewhere it would have too.
      await elsewhere.publish(anEvent('evt_other_prefix'));
      expect(await other!.next()).toEqual(anEvent('evt_other_prefix'));
      expect(heardElsewhere.map((event) => event.id)).toEqual(['evt_other_prefix']);
      await unsubscribe();
      await Promise.all(feeds.map((feed) => feed.close()));
    } finally {
      await Promise.all([worker, apiA, apiB, elsewhere].map((stream) => stream.close()));
    }
  });

  it('ignores what is not an event on its channel', async () => {
    const url = await redisUrl();
    const prefix = `test-events-${randomBytes(4).toString('hex')}`;
    const stream = await RedisEventStream.connect({ url, prefix });
    const raw = new Redis(url);
    try {
      const heard: CatalogEvent[] = [];
      await stream.subscribe((event) => heard.push(event));
      await raw.publish(`${prefix}:events`, 'not json');
      await stream.publish(anEvent('evt_after_garbage'));
      await eventually(() => expect(heard.map((event) => event.id)).toEqual(['evt_after_garbage']));
    } finally {
      raw.disconnect();
      await stream.close();
    }
  });

  it('fails to connect with a readable message', async () => {
    await expect(RedisEventStream.connect({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/Redis is not reachable at redis:\/\/127\.0\.0\.1:1/);
  });
});

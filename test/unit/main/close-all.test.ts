import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import { closeAll } from '../../../src/main/close-all.js';

describe('closeAll', () => {
  it('closes in reverse order and keeps going past a failure, logging it', async () => {
    const order: string[] = [];
    const logged: string[] = [];
    const logger = pino(
      {},
      new Writable({
        write(chunk: Buffer, _e, done) {
          logged.push(chunk.toString());
          done();
        },
      }),
    );
    await closeAll(
      [
        { name: 'database', close: async () => void order.push('database') },
        { name: 'cache', close: async () => Promise.reject(new Error('already closed')) },
        { name: 'queue', close: async () => void order.push('queue') },
      ],
      logger,
    );
    expect(order).toEqual(['queue', 'database']);
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0] as string)).toMatchObject({ adapter: 'cache', msg: 'closing adapter failed', err: { message: 'already closed' } });
  });
});

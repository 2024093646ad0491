import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/logger.js';

describe('logger', () => {
  it('writes JSON lines with level labels and censors secrets', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', stream);
    logger.info({ req: { headers: { authorization: 'Bearer abc' } }, db: { password: 'hunter2' } }, 'hello');
    logger.debug('not at this level');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({ level: 'info', msg: 'hello', service: 'product-catalog' });
    expect(line.req.headers.authorization).toBe('[redacted]');
    expect(line.db.password).toBe('[redacted]');
    expect(lines[0]).not.toContain('hunter2');
  });
});

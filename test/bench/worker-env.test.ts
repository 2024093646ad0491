import { describe, expect, it } from 'vitest';
import { parseWorkerEnv } from '../../bench/context.js';

describe('parseWorkerEnv (BENCH_WORKER_ENV)', () => {
  it('reads KEY=value pairs separated by spaces, and nothing from an unset or blank variable', () => {
    expect(parseWorkerEnv(' WORKER_YIELD_DUTY=1  WORKER_NICE=0 ')).toEqual({ WORKER_YIELD_DUTY: '1', WORKER_NICE: '0' });
    expect(parseWorkerEnv('IMAGE_RENDITION_WIDTHS=320,640')).toEqual({ IMAGE_RENDITION_WIDTHS: '320,640' });
    expect(parseWorkerEnv(undefined)).toEqual({});
    expect(parseWorkerEnv('  ')).toEqual({});
  });

  it('refuses a pair without a key', () => {
    expect(() => parseWorkerEnv('WORKER_NICE')).toThrow(/KEY=value pairs/);
    expect(() => parseWorkerEnv('=1')).toThrow(/KEY=value pairs/);
  });
});

import { describe, expect, it } from 'vitest';
import { budget, within } from '../../../src/application/index.js';

/** Whether `promise` has settled after the microtasks queued so far have run. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('a budget', () => {
  it('grants what fits at once and makes the rest wait for a release', async () => {
    const bytes = budget(100);
    const first = await bytes.acquire(60);
    const second = bytes.acquire(50);
    expect(await settledYet(second)).toBe(false);
    expect([bytes.held, bytes.waiting]).toEqual([60, 1]);
    first.release();
    expect((await second).amount).toBe(50);
    expect([bytes.held, bytes.waiting]).toEqual([50, 0]);
  });

  it('lets a shrunk hold make room, and never grows one', async () => {
    const bytes = budget(100);
    const download = await bytes.acquire(100);
    const next = bytes.acquire(70);
    download.shrink(30);
    expect((await next).amount).toBe(70);
    download.shrink(80);
    expect([download.amount, bytes.held]).toEqual([30, 100]);
  });

  it('serves waiters in order: a small one does not overtake a large one at the head', async () => {
    const slots = budget(10);
    const held = await slots.acquire(6);
    const large = slots.acquire(8);
    const small = slots.acquire(2);
    expect(await settledYet(small)).toBe(false);
    held.release();
    expect((await large).amount).toBe(8);
    expect((await small).amount).toBe(2);
    expect(slots.held).toBe(10);
  });

  it('caps an amount above the whole budget, so it runs alone instead of never', async () => {
    const bytes = budget(100);
    const huge = await bytes.acquire(1_000);
    expect(huge.amount).toBe(100);
    const after = bytes.acquire(1);
    expect(await settledYet(after)).toBe(false);
    huge.release();
    await after;
  });

  it('gives a hold back once, however often it is released', async () => {
    const slots = budget(2);
    const one = await slots.acquire(1);
    await slots.acquire(1);
    one.release();
    one.release();
    one.shrink(0);
    expect(slots.held).toBe(1);
  });

  it('runs work within a hold and releases it when the work throws', async () => {
    const slots = budget(1);
    await expect(within(slots, 1, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(slots.held).toBe(0);
    expect(await within(slots, 1, async () => slots.held)).toBe(1);
  });

  it('refuses a budget that is not a positive integer and an amount below zero', () => {
    expect(() => budget(0)).toThrow(RangeError);
    expect(() => budget(1.5)).toThrow(RangeError);
    expect(() => budget(4).acquire(-1)).toThrow(RangeError);
    expect(() => budget(4).acquire(Number.NaN)).toThrow(RangeError);
  });
});

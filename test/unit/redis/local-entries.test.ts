import { describe, expect, it } from 'vitest';
import { LocalEntries } from '../../../src/adapters/redis/local-entries.js';

const entry = (value: string, version = 1) => ({ value, version });
const filled = (entries: LocalEntries, key: string, value: string, version = 1) => entries.complete(entries.begin(key), entry(value, version));

describe('LocalEntries', () => {
  it('keeps what a fill brought back and serves it', () => {
    const entries = new LocalEntries(10_000);
    filled(entries, 'product:1', '{"a":1}', 3);
    expect(entries.has('product:1')).toBe(true);
    expect(entries.get('product:1')).toEqual(entry('{"a":1}', 3));
    expect(entries.size).toBe(1);
    expect(entries.bytes).toBeGreaterThan('product:1{"a":1}'.length);
  });

  it('counts text outside Latin-1 at two bytes a character, as V8 stores it', () => {
    const entries = new LocalEntries(10_000);
    filled(entries, 'product:1', 'x'.repeat(100));
    const latin = entries.bytes;
    filled(entries, 'product:1', '\u{1F600}'.repeat(50));
    expect(entries.bytes - latin).toBe(100);
  });

  it('never keeps the answer of a fill whose key was invalidated while it was in flight', () => {
    const entries = new LocalEntries(10_000);
    const fill = entries.begin('product:1');
    const other = entries.begin('product:2');
    entries.invalidate('product:1');
    entries.complete(fill, entry('old'));
    entries.complete(other, entry('fine'));
    expect(entries.has('product:1')).toBe(false);
    expect(entries.get('product:2')).toEqual(entry('fine'));
  });

  it('poisons every fill in flight on clear, and drops every copy', () => {
    const entries = new LocalEntries(10_000);
    filled(entries, 'product:1', 'one');
    const fills = [entries.begin('product:2'), entries.begin('product:2')];
    entries.clear();
    for (const fill of fills) entries.complete(fill, entry('stale'));
    expect([entries.size, entries.bytes]).toEqual([0, 0]);
  });

  it('keeps nothing for a miss, and forgets a fill once completed', () => {
    const entries = new LocalEntries(10_000);
    const miss = entries.begin('product:1');
    entries.complete(miss, null);
    expect(entries.has('product:1')).toBe(false);
    // A later fill of the same key is not poisoned by an invalidation that came before it began.
    entries.invalidate('product:1');
    filled(entries, 'product:1', 'fresh');
    expect(entries.get('product:1')).toEqual(entry('fresh'));
  });

  it('stays within its bytes, evicting the least recently used copy first', () => {
    const value = 'x'.repeat(400);
    const entries = new LocalEntries(1_600);
    for (const key of ['product:1', 'product:2', 'product:3']) filled(entries, key, value);
    expect(entries.size).toBe(3);
    entries.get('product:1');
    filled(entries, 'product:4', value);
    expect(entries.bytes).toBeLessThanOrEqual(1_600);
    expect(['product:1', 'product:2', 'product:3', 'product:4'].map((key) => entries.has(key))).toEqual([true, false, true, true]);
  });

  it('replaces a copy in place and refuses one larger than the whole budget', () => {
    const entries = new LocalEntries(1_000);
    filled(entries, 'product:1', 'short', 1);
    const before = entries.bytes;
    filled(entries, 'product:1', 'shorter', 2);
    expect(entries.get('product:1')).toEqual(entry('shorter', 2));
    expect(entries.bytes).toBe(before + 2);
    filled(entries, 'product:2', 'y'.repeat(1_000));
    expect(entries.has('product:2')).toBe(false);
    expect(entries.size).toBe(1);
  });
});

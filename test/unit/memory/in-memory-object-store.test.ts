import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '../../../src/adapters/memory/in-memory-object-store.js';
import { objectStoreContract } from '../../contracts/object-store.contract.js';

objectStoreContract('in memory', async () => {
  const store = new InMemoryObjectStore();
  return { store, close: () => store.close() };
});

describe('InMemoryObjectStore', () => {
  it('addresses objects under memory://objects by default', () => {
    expect(new InMemoryObjectStore().urlFor('images/ab/cd.webp')).toBe('memory://objects/images/ab/cd.webp');
  });

  it('addresses objects under a given base, with or without a trailing slash', () => {
    for (const publicBaseUrl of ['https://cdn.example.com/', 'https://cdn.example.com']) {
      expect(new InMemoryObjectStore({ publicBaseUrl }).urlFor('a/b.webp')).toBe('https://cdn.example.com/a/b.webp');
    }
  });

  it('lists the keys it holds', async () => {
    const store = new InMemoryObjectStore();
    await store.put('a.webp', new Uint8Array([1]), 'image/webp');
    await store.put('b.webp', new Uint8Array([2]), 'image/webp');
    await store.delete('a.webp');
    expect(store.keys()).toEqual(['b.webp']);
  });
});

import { lookup } from 'node:dns/promises';
import { expect } from 'vitest';
import type { Resolve } from '../../../src/adapters/undici/index.js';
import { ImageFailure } from '../../../src/domain/index.js';

/** The ImageFailure `promise` rejects with; fails the test when it resolves or throws anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<ImageFailure> {
  const error: unknown = await promise.then(
    () => new Error('expected an ImageFailure, but the promise resolved'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ImageFailure);
  return error as ImageFailure;
}

/**
 * A resolver answering from `table` (the stand-in for an attacker's DNS: nip.io-style names,
 * metadata names, rebinding), and from the system resolver for anything else, `localhost` included.
 */
export const tableLookup =
  (table: Record<string, string[]>): Resolve =>
  async (hostname) =>
    table[hostname]?.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })) ??
    lookup(hostname, { all: true });

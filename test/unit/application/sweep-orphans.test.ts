import { describe, expect, it } from 'vitest';
import { inMemoryCatalog, InMemoryObjectStore } from '../../../src/adapters/memory/index.js';
import { sweepOrphans, type SweepSummary } from '../../../src/application/index.js';
import { aKey, aNewProduct, anImageResult } from '../../support/mothers.js';

const HOUR = 3_600_000;

/** A referenced old rendition, an old orphan rendition, an old orphan original and a young orphan, on a controllable clock. */
async function setUp() {
  let now = new Date('2026-01-01T00:00:00Z');
  const clock = () => now;
  const catalog = inMemoryCatalog({ userExists: () => true, now: clock });
  const objects = new InMemoryObjectStore({ now: clock });
  const created = await catalog.products.create(aNewProduct(1, { product_images: ['https://i.example/a.jpg'] }));
  if (!created.ok) throw new Error(created.error);
  const image = created.value.product.images[0]!;
  const used = anImageResult();
  const usedSmall = { ...used.renditions[0]!, key: `images/${aKey()}.webp`, width: 320 };
  await catalog.jobs.complete(image.id, 1, { ...used, renditions: [usedSmall, ...used.renditions] });
  const keys = { used: used.key, usedSmall: usedSmall.key, orphan: `images/${aKey()}.webp`, original: `originals/${aKey()}.png`, young: `images/${aKey()}.webp` };
  await objects.put(keys.used, new Uint8Array(10), 'image/webp');
  await objects.put(keys.usedSmall, new Uint8Array(5), 'image/webp');
  await objects.put(keys.orphan, new Uint8Array(7), 'image/webp');
  await objects.put(keys.original, new Uint8Array(3), 'image/png');
  now = new Date(now.getTime() + 2 * HOUR);
  await objects.put(keys.young, new Uint8Array(4), 'image/webp');
  now = new Date(now.getTime() + 60_000);
  const deps = { objects, listing: objects, references: catalog.references };
  return { deps, objects, keys, clock };
}

describe('sweepOrphans', () => {
  it('deletes old objects nothing references, never a referenced one nor one younger than the grace period', async () => {
    const { deps, objects, keys, clock } = await setUp();
    const progress: SweepSummary[] = [];
    const summary = await sweepOrphans(deps, { graceMs: HOUR, dryRun: false, now: clock, progressEvery: 2, onProgress: (s) => progress.push({ ...s }) });
    expect(summary).toEqual({ found: 5, kept: 3, deleted: 2, bytes_freed: 10 });
    expect(objects.keys().sort()).toEqual([keys.used, keys.usedSmall, keys.young].sort());
    expect(progress.map((s) => s.found)).toEqual([2, 4, 5]);
    // A second sweep finds nothing more to do.
    expect(await sweepOrphans(deps, { graceMs: HOUR, dryRun: false, now: clock })).toEqual({ found: 3, kept: 3, deleted: 0, bytes_freed: 0 });
  });

  it('only reports in a dry run, leaving no lease behind', async () => {
    const { deps, objects, keys, clock } = await setUp();
    expect(await sweepOrphans(deps, { graceMs: HOUR, dryRun: true, now: clock })).toEqual({ found: 5, kept: 3, deleted: 2, bytes_freed: 10 });
    expect(objects.keys()).toHaveLength(5);
    expect(await deps.references.deletionInProgress(keys.orphan)).toBe(false);
  });

  it('keeps everything with a grace period longer than the objects are old', async () => {
    const { deps, objects, clock } = await setUp();
    expect(await sweepOrphans(deps, { graceMs: 24 * HOUR, dryRun: false, now: clock })).toMatchObject({ found: 5, deleted: 0 });
    expect(objects.keys()).toHaveLength(5);
  });
});

import { describe, expect, it } from 'vitest';
import { inMemoryCatalog, InMemoryObjectStore } from '../../../src/adapters/memory/index.js';
import { GC_USAGE, parseGcArgs, runGcCommand } from '../../../src/main/gc-command.js';
import { aNewProduct, anImageResult } from '../../support/mothers.js';

describe('parseGcArgs', () => {
  it('reads nothing or --dry-run, and answers anything else with the usage', () => {
    expect(parseGcArgs([])).toEqual({ dryRun: false });
    expect(parseGcArgs(['--dry-run'])).toEqual({ dryRun: true });
    for (const args of [['--dry'], ['--dry-run', 'x'], ['all']]) expect(() => parseGcArgs(args)).toThrow(GC_USAGE);
  });
});

describe('runGcCommand', () => {
  it('prints progress and a summary: an old orphan goes, a referenced object and a young one stay', async () => {
    const old = new Date(Date.now() - 48 * 3_600_000);
    let now = old;
    const catalog = inMemoryCatalog({ userExists: () => true });
    const objects = new InMemoryObjectStore({ now: () => now });
    const created = await catalog.products.create(aNewProduct(1, { product_images: ['https://i.example/a.jpg'] }));
    if (!created.ok) throw new Error(created.error);
    const used = anImageResult();
    await catalog.jobs.complete(created.value.product.images[0]!.id, 1, used);
    await objects.put(used.key, new Uint8Array(100), 'image/webp');
    await objects.put('images/orphan.webp', new Uint8Array(2 * 1024 * 1024), 'image/webp');
    now = new Date();
    await objects.put('originals/young.png', new Uint8Array(10), 'image/png');
    const deps = { objects, listing: objects, references: catalog.references };
    const lines: string[] = [];
    const options = { graceMs: 24 * 3_600_000, progress: (line: string) => void lines.push(line) };

    expect(await runGcCommand(deps, { dryRun: true }, options)).toBe(
      'dry run, nothing deleted: found 3, kept 2, would delete 1, would free 2.0 MiB (2097152 bytes); grace period 24 h',
    );
    expect(objects.keys()).toHaveLength(3);
    expect(await runGcCommand(deps, { dryRun: false }, options)).toBe('found 3, kept 2, deleted 1, freed 2.0 MiB (2097152 bytes); grace period 24 h');
    expect(objects.keys().sort()).toEqual([used.key, 'originals/young.png'].sort());
    expect(lines.at(-1)).toBe('gc: found 3, kept 2, deleted 1, freed 2.0 MiB (2097152 bytes)');
  });
});

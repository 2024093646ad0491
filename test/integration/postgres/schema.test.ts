import { readdir, readFile } from 'node:fs/promises';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import * as schema from '../../../src/adapters/postgres/schema.js';

const META = new URL('../../../migrations/meta/', import.meta.url);

describe('schema.ts and the committed migrations', () => {
  it('agree: generating a migration now would produce nothing', async () => {
    const snapshots = (await readdir(META)).filter((file) => file.endsWith('_snapshot.json')).sort();
    const latest = JSON.parse(await readFile(new URL(snapshots[snapshots.length - 1]!, META), 'utf8'));
    const current = generateDrizzleJson(schema, latest.id);
    // Run `npm run db:generate` when this fails: schema.ts changed without a migration.
    expect(await generateMigration(latest, current)).toEqual([]);
  });

  it('declares the indexes the product list relies on', () => {
    const current = generateDrizzleJson(schema) as unknown as {
      tables: Record<string, { indexes: Record<string, { columns: { expression: string }[]; method: string }> }>;
    };
    const indexes = current.tables['public.products']!.indexes;
    expect(Object.fromEntries(Object.entries(indexes).map(([name, index]) => [name, [index.method, index.columns.map((column) => column.expression)]]))).toEqual({
      products_user_id_id_idx: ['btree', ['user_id', 'id']],
      products_user_id_price_id_idx: ['btree', ['user_id', 'product_price', 'id']],
      products_name_trgm_idx: ['gin', ['product_name']],
    });
  });

  it('indexes what the outbox relay, the object reference check and dedupe look up', () => {
    const current = generateDrizzleJson(schema) as unknown as {
      tables: Record<string, { indexes: Record<string, { columns: { expression: string }[]; where?: string }>; columns: Record<string, unknown> }>;
    };
    const indexes = current.tables['public.product_images']!.indexes;
    expect(Object.fromEntries(Object.entries(indexes).map(([name, index]) => [name, index.columns.map((column) => column.expression)]))).toEqual({
      product_images_compressed_key_idx: ['compressed_key'],
      product_images_source_key_idx: ['source_key'],
      // A rendition's object is referenced from the array (gin); dedupe looks up done images by digest.
      product_images_rendition_keys_idx: ['rendition_keys'],
      product_images_source_digest_idx: ['source_digest'],
    });
    // The relay reads the outbox by its primary key, in id order.
    expect(Object.keys(current.tables['public.outbox']!.columns)).toEqual(['id', 'task', 'request_id', 'created_at']);
  });
});

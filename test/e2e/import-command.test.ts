import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvProduct, parseImportArgs, runImport, summaryText } from '../../src/main/import-command.js';
import { ADMIN_AUTHORIZATION, TEST_ADMIN_KEY } from '../support/admin-key.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';

let database: TestDatabase;
let api: SpawnedService;
let dir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'catalog-import-'));
  api = await spawnService('api.ts', { DATABASE_URL: database.url, CACHE_ENABLED: 'false' }, 60_000);
}, 90_000);
afterAll(async () => {
  await api?.stop('SIGTERM');
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

const newUser = async () =>
  (await (
    await fetch(`${api.url}/users`, { method: 'POST', headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION }, body: JSON.stringify({ name: 'Importer', email: `imp-${randomBytes(6).toString('hex')}@example.com` }) })
  ).json()) as { id: number };
const countOf = async (userId: number) => ((await (await fetch(`${api.url}/products?user_id=${userId}&limit=200`)).json()) as unknown[]).length;

describe('npm run import', () => {
  it('imports a CSV, writes the rejected rows with their reasons, and resumes without duplicates', async () => {
    const user = await newUser();
    const file = join(dir, 'products.csv');
    const rows = Array.from({ length: 120 }, (_, i) => `${user.id},"Lamp ${i}","A lamp, ${i}",${i === 7 ? '-3' : (i + 1) * 1.5},https://img.example.com/${i}.jpg|https://img.example.com/${i}b.jpg`);
    await writeFile(file, `user_id,product_name,product_description,product_price,product_images\n${rows.join('\n')}\n`);
    const seen: string[] = [];
    const args = parseImportArgs([file, '--api', api.url, '--key', TEST_ADMIN_KEY], { api: 'http://unused', key: undefined });
    const summary = await runImport(args, (text) => seen.push(text));
    expect(summary).toMatchObject({ rows: 120, created: 119, replayed: 0, rejected: 1, rejectedFile: `${file}.rejected.ndjson` });
    expect(summaryText(summary)).toContain('119 created, 0 already there, 1 rejected');
    const rejected = (await readFile(`${file}.rejected.ndjson`, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { row: number; problem: { errors: { path: string }[] } });
    expect(rejected).toMatchObject([{ row: 8, problem: { errors: [{ path: 'product_price' }] } }]);
    expect(await countOf(user.id)).toBe(119);
    const again = await runImport(args);
    expect(again).toMatchObject({ created: 0, replayed: 119, rejected: 1 });
    expect(await countOf(user.id)).toBe(119);
  });

  it('imports NDJSON and answers a wrong key with a readable error', async () => {
    const user = await newUser();
    const file = join(dir, 'products.ndjson');
    await writeFile(file, `${JSON.stringify({ user_id: user.id, product_name: 'A', product_description: '', product_images: [], product_price: 1 })}\n\nnot json\n`);
    const summary = await runImport(parseImportArgs([file, '--api', api.url], { api: 'x', key: TEST_ADMIN_KEY }));
    expect(summary).toMatchObject({ rows: 2, created: 1, rejected: 1 });
    await expect(runImport(parseImportArgs([file, '--api', api.url, '--key', 'wrong'], { api: 'x', key: undefined }))).rejects.toThrow(/answered 401/);
  });

  it('explains its usage and reads CSV cells as a product', () => {
    expect(() => parseImportArgs([], { api: 'x', key: 'k' })).toThrow(/usage/);
    expect(() => parseImportArgs(['a.csv', '--api'], { api: 'x', key: 'k' })).toThrow(/--api needs a value/);
    expect(() => parseImportArgs(['a.csv', 'b.csv'], { api: 'x', key: 'k' })).toThrow(/unexpected argument/);
    expect(() => parseImportArgs(['a.csv'], { api: 'x', key: undefined })).toThrow(/--key/);
    expect(parseImportArgs(['a.ndjson'], { api: 'http://h/', key: 'k' })).toEqual({ file: 'a.ndjson', api: 'http://h', key: 'k' });
    expect(csvProduct({ user_id: '3', product_price: 'abc', product_images: ' https://a/1.jpg  https://a/2.jpg ' })).toEqual({
      user_id: 3,
      product_price: 'abc',
      product_images: ['https://a/1.jpg', 'https://a/2.jpg'],
    });
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPROCESS_USAGE } from '../../src/main/reprocess-command.js';
import { eventually } from '../support/eventually.js';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { freePort, runToExit, spawnService, type SpawnedService } from '../support/spawn-service.js';
import { catalogClient, type ProductBody } from './catalog-client.js';

// `npm run reprocess` against real PostgreSQL, with the service (its in-process queue and worker)
// running beside it: the command only writes the outbox, the service's relay and worker do the rest.
let database: TestDatabase;
let origin: ImageOrigin;
let dataDir: string;
let service: SpawnedService;
let env: Record<string, string>;
let sql: postgres.Sql;

beforeAll(async () => {
  [database, origin, dataDir] = await Promise.all([createTestDatabase(), startImageOrigin(), mkdtemp(join(tmpdir(), 'catalog-reprocess-'))]);
  const port = await freePort();
  env = { DATABASE_URL: database.url, DATA_DIR: dataDir, CACHE_ENABLED: 'false', IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true', OUTBOX_POLL_INTERVAL_MS: '200' };
  service = await spawnService('server.ts', { ...env, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` }, 60_000);
  sql = postgres(database.url, { onnotice: () => undefined });
}, 90_000);
afterAll(async () => {
  await sql?.end();
  await service?.stop('SIGTERM');
  await Promise.all([origin?.close(), database?.drop()]);
  await rm(dataDir, { recursive: true, force: true });
});

/** Rewrites a product's done images the way migration 0006 left images done before renditions: one rendition, no placeholder. */
const asBeforeRenditions = (productId: number) => sql`
  update product_images set placeholder = null, source_digest = null, rendition_keys = array[compressed_key],
    renditions = jsonb_build_array(jsonb_build_object('width', width, 'height', height, 'format', format, 'bytes', bytes, 'url', compressed_url))
  where product_id = ${productId} and status = 'done'`;

const reprocess = (...args: string[]) => runToExit('reprocess.ts', env, args);

/** Waits until every image of the product is done with renditions and a placeholder again. */
const rerendered = (client: ReturnType<typeof catalogClient>, id: number) =>
  eventually(
    async () => {
      const product = await client.get(id);
      if (!product.images.every((image) => image.status === 'done' && image.renditions.length > 1 && image.placeholder !== null)) {
        throw new Error(`product ${id} not rerendered yet: ${JSON.stringify(product.images.map((image) => [image.status, image.renditions.length]))}`);
      }
      return product;
    },
    { timeout: 60_000, interval: 100 },
  );

describe('npm run reprocess', () => {
  it('gives done images without renditions their renditions, by product id or --all, and a rerun does nothing', { timeout: 150_000 }, async () => {
    const client = catalogClient(service.url);
    const user = await client.user();
    const a = await client.product(user, [`${origin.url}/images/ladybird.jpg`, `${origin.url}/images/progressive.jpg`]);
    const b = await client.product(user, [`${origin.url}/images/cmyk.jpg`]);
    const before = new Map<number, ProductBody>();
    for (const { id } of [a, b]) before.set(id, await client.settled(id));
    for (const { id } of [a, b]) await asBeforeRenditions(id);
    expect((await client.get(a.id)).images.map((image) => image.renditions.length)).toEqual([1, 1]);

    // A dry run counts and changes nothing.
    const dry = await reprocess('--all', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^dry run, nothing queued: would queue 3 of 3 done images lacking renditions \(320,640,1024,1600 px in webp\)/);
    expect((await client.get(a.id)).images.map((image) => image.status)).toEqual(['done', 'done']);

    // One product by id: its images are queued and rendered again; the other keeps its one rendition.
    const one = await reprocess(String(a.id), '--rate', '50');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^queued 2 of 2 done images lacking renditions/);
    expect(one.stderr).toMatch(/\[#+\] 2\/2 images checked, 2 queued, [\d.]+ images\/s, ETA \d+ s/);
    const rendered = await rerendered(client, a.id);
    for (const [i, image] of rendered.images.entries()) {
      const original = before.get(a.id)!.images[i]!;
      expect(image.renditions.map((rendition) => rendition.width)).toEqual(original.renditions.map((rendition) => rendition.width));
      expect(image.placeholder).toEqual(original.placeholder);
      // Same source, same settings: the same largest WebP, under the same content-addressed URL.
      expect(image.compressed_url).toBe(original.compressed_url);
    }
    expect((await client.get(b.id)).images[0]!.renditions).toHaveLength(1);

    // --all finds only what is still lacking; a rerun finds nothing.
    const all = await reprocess('--all');
    expect(all.stdout).toMatch(/^queued 1 of 3 done images/);
    await rerendered(client, b.id);
    const again = await reprocess('--all');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^queued 0 of 3 done images/);
    const downloads = origin.totalHits();
    expect((await reprocess(String(a.id), String(b.id))).stdout).toMatch(/^queued 0 of 3 /);
    expect(origin.totalHits()).toBe(downloads);
  });

  // Six runs of the command, each a new process: seconds apiece on a busy machine.
  it('answers bad arguments with its usage and exit code 1', { timeout: 120_000 }, async () => {
    for (const args of [[], ['--all', '7'], ['--rate', '0', '--all'], ['--all', '--rate'], ['abc'], ['--everything']]) {
      const run = await reprocess(...args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain(REPROCESS_USAGE);
      expect(run.stdout).toBe('');
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { useRabbitMq } from '../support/rabbitmq.js';
import { s3Environment, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { runToExit, spawnService, type SpawnedService } from '../support/spawn-service.js';
import { hostileNames, photoNames } from '../support/testdata.js';
import { catalogClient } from './catalog-client.js';

// npm start against real PostgreSQL, RabbitMQ and an S3-protocol server (s3rver), with images
// from a local origin serving ../shared/testdata/images.
const RETRY_DELAYS = [200, 400];
const rabbit = useRabbitMq();
let database: TestDatabase;
let s3: TestS3Server;
let origin: ImageOrigin;
let service: SpawnedService;
let env: Record<string, string>;

beforeAll(async () => {
  [database, s3, origin] = await Promise.all([createTestDatabase(), startS3Server(), startImageOrigin()]);
  env = {
    DATABASE_URL: database.url,
    AMQP_URL: rabbit.url,
    AMQP_PREFIX: rabbit.prefix(RETRY_DELAYS),
    ...s3Environment(s3),
    IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
    IMAGE_FETCH_TIMEOUT_MS: '2000',
    IMAGE_RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
    OUTBOX_POLL_INTERVAL_MS: '200',
  };
  service = await spawnService('server.ts', env);
});

afterAll(async () => {
  await service?.stop('SIGTERM');
  await Promise.all([origin?.close(), s3?.close(), database?.drop()]);
});

describe('the image pipeline on real services', () => {
  it('compresses every photo into S3 and links it on the product', { timeout: 120_000 }, async () => {
    const client = catalogClient(service.url);
    const user = await client.user();
    const urls = photoNames().map((name) => `${origin.url}/images/${name}`);
    const created = await client.product(user, urls);
    expect(created.images.every((image) => image.status === 'pending')).toBe(true);

    const product = await client.settled(created.id);
    expect(product.images.map((image) => [image.status, image.error])).toEqual(urls.map(() => ['done', null]));
    expect(product.compressed_product_images).toHaveLength(urls.length);
    for (const [i, url] of product.compressed_product_images.entries()) {
      expect(url.startsWith(`${s3.endpoint}/${s3.bucket}/images/`)).toBe(true);
      const image = product.images[i];
      const stored = await fetch(url);
      expect(stored.status).toBe(200);
      expect(stored.headers.get('content-type')).toBe('image/webp');
      const bytes = new Uint8Array(await stored.arrayBuffer());
      expect(bytes.byteLength).toBe(image?.bytes);
      expect(Math.max(image?.width ?? 0, image?.height ?? 0)).toBeLessThanOrEqual(1600);
      // Every rendition is in S3 as listed, sorted by width, the largest the compressed image; the redirect finds them.
      const renditions = image?.renditions ?? [];
      expect(renditions.map((rendition) => rendition.width)).toEqual([...renditions.map((rendition) => rendition.width)].sort((a, b) => a - b));
      expect(renditions.at(-1)).toMatchObject({ url, width: image?.width, height: image?.height });
      expect(image?.placeholder?.color).toMatch(/^#[0-9a-f]{6}$/);
      for (const rendition of renditions) {
        const object = await fetch(rendition.url);
        expect(new Uint8Array(await object.arrayBuffer()).byteLength).toBe(rendition.bytes);
      }
      const redirect = await fetch(`${service.url}/images/${image?.id}?width=300`, { redirect: 'manual', headers: { accept: 'image/webp' } });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('location')).toBe(renditions[0]?.url);
    }
    // One download per image: nothing was retried.
    for (const name of photoNames()) expect(origin.hits(`/images/${name}`)).toBe(1);

    // The job logs carry the product, image, attempt and the creating request's id.
    const finished = service.logs.filter((line) => line.msg === 'image job finished' && line.product_id === created.id);
    expect(finished).toHaveLength(urls.length);
    expect(finished.every((line) => typeof line.request_id === 'string' && line.attempt === 1)).toBe(true);

    // API and worker in one process: libvips' threads yield (WORKER_NICE, 10 by default), the event loop does not.
    const pid = service.child.pid as number;
    const threads = readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return { main: Number(tid) === pid, name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
    });
    const vips = threads.filter((thread) => thread.name === 'libvips worker');
    expect(vips.length).toBeGreaterThan(0);
    expect(vips.every((thread) => thread.nice === 10)).toBe(true);
    expect(threads.find((thread) => thread.main)?.nice).toBe(0);
  });

  it('fails every hostile file with a reason and no retry', async () => {
    const client = catalogClient(service.url);
    const user = await client.user();
    const names = hostileNames();
    const created = await client.product(user, names.map((name) => `${origin.url}/images/hostile/${name}`));
    const product = await client.settled(created.id);
    const outcome = Object.fromEntries(product.images.map((image, i) => [names[i], [image.status, image.attempts, image.error?.split(':')[0]]]));
    expect(outcome).toEqual({
      'empty.jpg': ['failed', 1, 'image.not_an_image'],
      'external-entity.svg': ['failed', 1, 'image.unsupported_type'],
      'not-an-image.jpg': ['failed', 1, 'image.not_an_image'],
      'pixel-bomb-256mp.png': ['failed', 1, 'image.too_many_pixels'],
      'pixel-bomb.png': ['failed', 1, 'image.too_many_pixels'],
      'truncated.jpg': ['failed', 1, 'image.corrupt'],
    });
    for (const name of names) expect(origin.hits(`/images/hostile/${name}`)).toBe(1);
  });

  it('recovers from a source that answers 503 twice', async () => {
    const client = catalogClient(service.url);
    const created = await client.product(await client.user(), [`${origin.url}/flaky/2/dune.jpg`]);
    const product = await client.settled(created.id);
    expect(product.images[0]).toMatchObject({ status: 'done', attempts: 3, error: null });
    expect(origin.hits('/flaky/2/dune.jpg')).toBe(3);
  });

  it('fails a source that never answers and one that streams forever, after the retries', { timeout: 120_000 }, async () => {
    const client = catalogClient(service.url);
    const created = await client.product(await client.user(), [`${origin.url}/hang`, `${origin.url}/endless`]);
    const product = await client.settled(created.id, 60_000);
    expect(product.images[0]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(product.images[0]?.error).toMatch(/^image\.timeout: /);
    expect(product.images[1]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(product.images[1]?.error).toMatch(/^image\.too_large: /);
  });

  it('dead-letters a job that keeps failing, lists it, and replays it to success', async () => {
    const client = catalogClient(service.url);
    const path = '/flaky/3/storm.jpg'; // three 503s: one more than the attempts allow
    const created = await client.product(await client.user(), [`${origin.url}${path}`]);
    const failed = await client.settled(created.id);
    expect(failed.images[0]).toMatchObject({ status: 'failed', attempts: 3, error: 'image.unavailable: The image source answered HTTP 503' });

    const listed = await runToExit('dlq.ts', env, ['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`image ${failed.images[0]?.id} of product ${created.id}`);
    expect(listed.stdout).toMatch(/\t3\t/);

    const replayed = await runToExit('dlq.ts', env, ['replay', '--all']);
    expect(replayed.stdout.trim()).toMatch(/^replayed [1-9]\d* dead letters?$/);
    const done = await client.settled(created.id);
    expect(done.images[0]).toMatchObject({ status: 'done', error: null });
    expect(origin.hits(path)).toBe(4);
  });
});

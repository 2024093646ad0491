// `npm run test:container`: builds the image, brings compose.yaml up under compose.ci.yaml
// against this machine's PostgreSQL, Redis and RabbitMQ and an S3 server started here, drives it
// over 127.0.0.1, tears it all down and prints `N passed, N failed` (exit 1 on any failure).
// README, Containers, says what it needs and how long it takes.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { deleteTopology } from '../support/amqp-topology.js';
import { startImageOrigin } from '../support/image-origin.js';
import { testImagesDir } from '../support/testdata.js';
import { drive } from './drive.js';
import { exec } from './exec.js';
import { ensureHostTools, startPodmanService } from './host-tools.js';
import { buildCatalogImage, nodeBaseImage } from './images.js';
import { freePort, startS3rver } from './s3rver.js';
import { Results } from './results.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PROJECT = 'catalog-container-test';
const IMAGE = 'localhost/product-catalog:container-test';
const SOCKET = '/run/catalog-container-test/podman.sock';
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
// compose.ci.yaml's IMAGE_RETRY_DELAYS_MS: the wait queues to delete.
const RETRY_DELAYS = [200, 400];

const results = new Results();
const cleanups: Array<[string, () => Promise<unknown>]> = [];
const podmanEnv: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_CONF: join(REPO, 'test/container/containers.conf') };
// compose.ci.yaml requires its CI_* variables even to print logs or take the stack down.
const composeEnv: NodeJS.ProcessEnv = { ...podmanEnv, CATALOG_IMAGE: IMAGE, CI_DATABASE: '-', CI_PREFIX: '-', CI_S3_BUCKET: '-', CI_S3_PORT: '1' };
const compose = (...args: string[]) =>
  exec('docker-compose', ['-p', PROJECT, '-f', join(REPO, 'compose.yaml'), '-f', join(REPO, 'compose.ci.yaml'), ...args], { env: composeEnv });

try {
  await results.step('host tools (apt when missing)', async () => {
    const installed = await ensureHostTools();
    return installed.length ? `installed ${installed.join(', ')}` : 'all present';
  });

  const tag = `${Date.now()}_${randomBytes(3).toString('hex')}`;
  const [apiPort1, apiPort2, s3PublishPort] = [await freePort(), await freePort(), await freePort()];
  const s3 = await startS3rver();
  cleanups.push(['s3rver', () => s3.close()]);
  const origin = await startImageOrigin();
  cleanups.push(['image origin', () => origin.close()]);
  const database = `catalog_container_${tag}`;
  const prefix = `catalog-container-${tag}`;
  // ADMIN_API_KEY takes 32–256 characters.
  const adminKey = `container-test-${randomBytes(16).toString('hex')}`;
  Object.assign(composeEnv, {
    CATALOG_IMAGE: IMAGE,
    CI_DATABASE: database,
    CI_PREFIX: prefix,
    CI_S3_BUCKET: 'catalog-container',
    CI_S3_PORT: String(s3.port),
    API_1_PORT: String(apiPort1),
    API_2_PORT: String(apiPort2),
    S3_PORT: String(s3PublishPort),
    ADMIN_API_KEY: adminKey,
  });

  await results.check('compose.yaml is valid (offline)', () => exec('docker-compose', ['-f', join(REPO, 'compose.yaml'), 'config', '-q']));
  await results.check('compose.yaml with compose.ci.yaml is valid (offline)', () => compose('config', '-q'));

  const podman = await results.step('podman Docker-API service', () => startPodmanService(SOCKET, podmanEnv));
  cleanups.push(['podman service', () => podman.stop()]);
  composeEnv.DOCKER_HOST = podman.dockerHost;

  const base = await results.step('base image (debootstrapped Debian + Node.js from npm; cached)', () => nodeBaseImage(podmanEnv, results.note));
  await results.step(`image build on ${base}`, () => buildCatalogImage(REPO, base, IMAGE, podmanEnv));
  await results.check('image: non-root, tini, HEALTHCHECK, production dependencies only', async () => {
    const inspect = JSON.parse((await exec('podman', ['image', 'inspect', IMAGE], { env: podmanEnv })).stdout) as Array<{
      Config: { User: string; Entrypoint: string[] };
      Healthcheck?: { Test: string[] };
    }>;
    const { Config, Healthcheck } = inspect[0]!;
    if (Config.User !== 'node') throw new Error(`runs as ${Config.User || 'root'}`);
    if (Config.Entrypoint[0] !== '/usr/bin/tini') throw new Error(`entrypoint ${Config.Entrypoint.join(' ')}`);
    if (!Healthcheck?.Test.join(' ').includes('/healthz')) throw new Error('no HEALTHCHECK on /healthz');
    const probe = "for (const p of ['typescript', 'vitest', 'tsx']) { try { require.resolve(p); console.log(p); } catch {} } require('sharp');";
    const { stdout } = await exec('podman', ['run', '--rm', IMAGE, 'node', '-e', probe], { env: podmanEnv });
    if (stdout.trim()) throw new Error(`devDependencies present: ${stdout.trim()}`);
  });

  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${database}`);
  cleanups.push(['database', () => admin.unsafe(`drop database if exists ${database} with (force)`).finally(() => admin.end())]);
  cleanups.push(['RabbitMQ topology', () => deleteTopology(AMQP_URL, prefix, RETRY_DELAYS)]);
  cleanups.push(['Redis keys', () => deleteRedisKeys(REDIS_URL, prefix)]);

  await compose('down', '-v', '--remove-orphans'); // a previous run's leftovers
  cleanups.push(['compose stack', () => compose('down', '-v', '--remove-orphans')]);
  await results.step('compose up (2 APIs, 2 workers, one-shots)', () => compose('up', '-d', '--no-build'));

  await drive({
    results,
    compose,
    podmanEnv,
    apis: [`http://127.0.0.1:${apiPort1}`, `http://127.0.0.1:${apiPort2}`],
    adminKey,
    imageUrl: (name) => `${origin.url.replace('127.0.0.1', '10.0.2.2')}/images/${name}`,
    upload: { name: 'ladybird.jpg', bytes: await readFile(join(testImagesDir(), 'ladybird.jpg')) },
  });
} catch (error) {
  results.fail('setup', error);
} finally {
  if (results.failed > 0) {
    await compose('logs', '--no-color', '--tail', '20').then(
      ({ stdout }) => process.stdout.write(`--- last log lines ---\n${stdout}\n`),
      () => undefined,
    );
  }
  for (const [what, cleanup] of cleanups.reverse()) {
    await cleanup().catch((error: unknown) => results.fail(`teardown: ${what}`, error));
  }
}
results.summary();

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

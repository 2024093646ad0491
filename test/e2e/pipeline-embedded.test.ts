import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { freePort, spawnService } from '../support/spawn-service.js';
import { photoNames, testImagesDir } from '../support/testdata.js';
import { catalogClient } from './catalog-client.js';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';

// npm start with no backend variables: PGlite, the in-process queue and files under DATA_DIR
// served at /files, all in one process.
let origin: ImageOrigin;
let dataDir: string;

beforeAll(async () => {
  origin = await startImageOrigin();
  dataDir = await mkdtemp(join(tmpdir(), 'catalog-embedded-'));
});
afterAll(async () => {
  await origin?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function embedded() {
  const port = await freePort();
  return spawnService('server.ts', {
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true',
    IMAGE_RETRY_DELAYS_MS: '200,400',
  });
}

describe('the image pipeline on the embedded default', () => {
  it('processes URL images and uploads, serves them under /files, and survives SIGKILL', { timeout: 180_000 }, async () => {
    let service = await embedded();
    try {
      const client = catalogClient(service.url);
      const user = await client.user();
      const names = photoNames().slice(0, 9); // room for the upload: 10 images at most
      const created = await client.product(user, names.map((name) => `${origin.url}/images/${name}`));

      const upload = new FormData();
      upload.set('file', new Blob([await readFile(join(testImagesDir(), 'ladybird.jpg'))]), 'ladybird.jpg');
      const uploaded = await fetch(`${service.url}/products/${created.id}/images`, { method: 'POST', headers: ADMIN_AUTHORIZATION, body: upload });
      expect(uploaded.status).toBe(202);

      const product = await client.settled(created.id);
      expect(product.images.map((image) => image.status)).toEqual([...names.map(() => 'done'), 'done']);
      for (const url of product.compressed_product_images) {
        expect(url.startsWith(`${service.url}/files/images/`)).toBe(true);
        const file = await fetch(url);
        expect(file.status).toBe(200);
        expect(file.headers.get('content-type')).toBe('image/webp');
        expect(file.headers.get('cache-control')).toContain('immutable');
      }

      // Kill the process with jobs in flight; the next start queues unfinished images again.
      const batch = await client.product(user, names.map((name) => `${origin.url}/images/${name}?batch=2`));
      expect(await service.stop('SIGKILL')).toBeNull();
      service = await embedded();
      const recovered = await catalogClient(service.url).settled(batch.id);
      expect(recovered.images.every((image) => image.status === 'done')).toBe(true);
      expect(recovered.compressed_product_images).toHaveLength(names.length);
    } finally {
      expect(await service.stop('SIGTERM')).toBe(0);
    }
  });
});

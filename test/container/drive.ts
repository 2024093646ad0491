import { setTimeout as delay } from 'node:timers/promises';
import { exec, type Finished } from './exec.js';
import type { Results } from './results.js';

interface Product {
  id: number;
  version: number;
  product_images: string[];
  compressed_product_images: string[];
  images: Array<{ status: string; error?: string | null }>;
}

export interface Stack {
  readonly results: Results;
  readonly compose: (...args: string[]) => Promise<Finished>;
  readonly podmanEnv: NodeJS.ProcessEnv;
  /** The two API replicas' published addresses on 127.0.0.1. */
  readonly apis: readonly [string, string];
  /** Sent as a bearer token on every write (API keys are being added; ignored until then). */
  readonly adminKey: string;
  /** A test image's URL as the worker containers reach the origin. */
  readonly imageUrl: (name: string) => string;
  readonly upload: { readonly name: string; readonly bytes: Buffer };
}

/** Drives the running stack: one-shots, readiness, a product with images through both APIs, a graceful stop. */
export async function drive(stack: Stack): Promise<void> {
  const { results, compose, apis } = stack;
  const container = async (service: string) => (await compose('ps', '-q', service)).stdout.trim();
  const inspect = async (service: string, format: string) =>
    (await exec('podman', ['inspect', '--format', format, await container(service)], { env: stack.podmanEnv })).stdout.trim();
  const auth = { authorization: `Bearer ${stack.adminKey}` };

  await results.check('migrate and bucket one-shots exited 0 before the apps started', async () => {
    for (const service of ['migrate', 'bucket']) {
      const status = await inspect(service, '{{.State.Status}} {{.State.ExitCode}}');
      if (status !== 'exited 0') throw new Error(`${service}: ${status}`);
    }
  });

  await results.check('both API replicas answer /readyz with every dependency up', () =>
    Promise.all(apis.map((api) => waitFor(`${api}/readyz`, async () => (await fetch(`${api}/readyz`)).status === 200, 60_000))),
  );

  await results.check("the image's HEALTHCHECK passes in both API containers", async () => {
    // No systemd here, so podman runs no healthcheck timer: run the check once by hand.
    for (const service of ['api-1', 'api-2']) await exec('podman', ['healthcheck', 'run', await container(service)], { env: stack.podmanEnv });
  });

  await results.check("the image's HEALTHCHECK passes in both worker containers (/healthz on WORKER_PORT)", async () => {
    for (const service of ['worker-1', 'worker-2']) await exec('podman', ['healthcheck', 'run', await container(service)], { env: stack.podmanEnv });
  });

  let product: Product | undefined;
  await results.check('a user and a product with two image URLs are created through API 1', async () => {
    const user = await json<{ id: number }>(
      await fetch(`${apis[0]}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ name: 'Container', email: `container-${Date.now()}@example.com` }),
      }),
      201,
    );
    product = await json<Product>(
      await fetch(`${apis[0]}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({
          user_id: user.id,
          product_name: 'Boxed lamp',
          product_description: 'made by the container test',
          product_images: [stack.imageUrl('dune.jpg'), stack.imageUrl('storm.jpg')],
          product_price: 12.5,
        }),
      }),
      201,
    );
  });
  if (product === undefined) return;
  const id = product.id;

  await results.check('an image file is uploaded through API 2', async () => {
    const form = new FormData();
    form.append('file', new Blob([stack.upload.bytes], { type: 'image/jpeg' }), stack.upload.name);
    await json(await fetch(`${apis[1]}/products/${id}/images`, { method: 'POST', headers: auth, body: form }), 202);
  });

  await results.check('the workers process all three images (done, stored in S3, served on 127.0.0.1)', async () => {
    let last: Product | undefined;
    await waitFor(`product ${id}'s images`, async () => {
      last = await json<Product>(await fetch(`${apis[0]}/products/${id}`), 200);
      const failed = last.images.filter((image) => image.status === 'failed');
      if (failed.length > 0) throw new Error(`failed images: ${JSON.stringify(failed)}`);
      return last.images.length === 3 && last.images.every((image) => image.status === 'done');
    }, 120_000);
    for (const url of last!.compressed_product_images) {
      const response = await fetch(url);
      const type = response.headers.get('content-type');
      await response.arrayBuffer();
      if (response.status !== 200 || type !== 'image/webp') throw new Error(`${url}: ${response.status} ${type}`);
    }
  });

  await results.check('both API replicas read the same finished product', async () => {
    const [one, two] = await Promise.all(apis.map(async (api) => json<Product>(await fetch(`${api}/products/${id}`), 200)));
    const view = (p: Product) => JSON.stringify([p.version, p.compressed_product_images, p.images.map((image) => image.status)]);
    if (view(one!) !== view(two!)) throw new Error(`API 1 shows ${view(one!)}, API 2 shows ${view(two!)}`);
    if (one!.compressed_product_images.length !== 3) throw new Error(`${one!.compressed_product_images.length} compressed images`);
  });

  await results.check('SIGTERM (compose stop) shuts an API down gracefully: exit 0', async () => {
    await compose('stop', '-t', '15', 'api-1');
    const status = await inspect('api-1', '{{.State.ExitCode}}');
    const { stdout } = await compose('logs', '--no-color', '--tail', '5', 'api-1');
    if (status !== '0' || !stdout.includes('service stopped')) throw new Error(`exit ${status}; last lines:\n${stdout}`);
  });
}

async function json<T = unknown>(response: Response, expected: number): Promise<T> {
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${response.url}: ${response.status} (expected ${expected}): ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Polls `ready` until it returns true; fails with the last error once `timeoutMs` has passed. */
async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      if (await ready()) return;
      last = undefined;
    } catch (error) {
      last = error;
      if (error instanceof Error && error.message.startsWith('failed images')) throw error;
    }
    await delay(250);
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s${last ? `: ${String(last)}` : ''}`);
}

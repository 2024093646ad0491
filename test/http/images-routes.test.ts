import { describe, expect, it } from 'vitest';
import { memoryApiDeps } from '../support/memory-deps.js';
import { aNewProduct, aNewUser } from '../support/mothers.js';
import { pngBytes } from '../support/pipeline-fakes.js';
import { appWith } from './support/http-harness.js';

async function setup(options: { uploadMaxBytes?: number; serveFiles?: boolean; uploadConcurrency?: number; uploadSlotWaitMs?: number } = {}) {
  const { deps, users, products, objects } = memoryApiDeps({ objectsBaseUrl: 'http://localhost:3000/files' });
  const user = await users.create(aNewUser());
  if (!user.ok) throw new Error('no user');
  const product = await products.create(aNewProduct(user.value.id, { product_images: [] }));
  if (!product.ok) throw new Error('no product');
  return { ...appWith(deps, options), objects, products, id: product.value.product.id };
}

const KEY = `images/${'ab'.repeat(32)}.webp`;

const form = (bytes: Uint8Array | string, field = 'file') => {
  const body = new FormData();
  if (typeof bytes === 'string') body.set(field, bytes);
  else body.set(field, new Blob([new Uint8Array(bytes)]), 'photo.jpg');
  return body;
};

describe('POST /products/:id/images', () => {
  it('accepts a file, answers 202 with the pending image and a Location, and stores the original', async () => {
    const { app, id, objects, products } = await setup();
    const response = await app.request(`/products/${id}/images`, { method: 'POST', body: form(pngBytes('upload')), headers: { 'x-request-id': 'up-7' } });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/products/${id}`);
    const image = (await response.json()) as { status: string; position: number; source_url: string };
    expect(image).toMatchObject({ status: 'pending', position: 0 });
    expect(image.source_url).toMatch(/\/originals\/[0-9a-f]{64}\.png$/);
    expect(objects.keys()).toHaveLength(1);
    expect((await products.findById(id))?.product_images).toEqual([image.source_url]);
  });

  it.each([
    ['a text field instead of a file', form('not a file'), 'file', 'must be a file'],
    ['another field name', form(pngBytes('x'), 'photo'), 'file', 'must be a file'],
  ])('refuses %s with 400', async (_name, body, path, message) => {
    const { app, id } = await setup();
    const response = await app.request(`/products/${id}/images`, { method: 'POST', body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'validation.failed', errors: [{ path, message }] });
  });

  it('sniffs the bytes: an HTML file is not an image whatever its name', async () => {
    const { app, id } = await setup();
    const body = new FormData();
    body.set('file', new Blob(['<html>hello</html>'], { type: 'image/jpeg' }), 'photo.jpg');
    const response = await app.request(`/products/${id}/images`, { method: 'POST', body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ path: 'file', message: 'is not an image' }] });
  });

  it('answers 415 for a JSON body, 404 for an unknown product, 413 over the upload limit', async () => {
    const { app, id } = await setup({ uploadMaxBytes: 1024 });
    const json = await app.request(`/products/${id}/images`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
    const missing = await app.request('/products/999999/images', { method: 'POST', body: form(pngBytes('x')) });
    expect(missing.status).toBe(404);
    const big = await app.request(`/products/${id}/images`, { method: 'POST', body: form(new Uint8Array(200_000).fill(0x89)) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'request.too_large' });
  });

  it('answers 404 for an unknown product without reading the body', async () => {
    const { app } = await setup();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode('--B\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nx\r\n'));
      },
    });
    const response = await app.request('/products/999999/images', {
      method: 'POST',
      body,
      headers: { 'content-type': 'multipart/form-data; boundary=B' },
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(404);
    // A stream pulls ahead by its high-water mark; nothing more was asked of it.
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('refuses a flood of tiny parts after the first few, without reading the rest', async () => {
    const { app, id, objects } = await setup();
    const part = '--B\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nx\r\n';
    const response = await app.request(`/products/${id}/images`, {
      method: 'POST',
      body: `${part.repeat(50_000)}--B--\r\n`,
      headers: { 'content-type': 'multipart/form-data; boundary=B' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'validation.failed', errors: [{ path: 'file' }] });
    expect(objects.keys()).toEqual([]);
  });

  it('answers with the existing image when the same bytes are uploaded again, and never lists them twice', async () => {
    const { app, id, products } = await setup();
    const first = await app.request(`/products/${id}/images`, { method: 'POST', body: form(pngBytes('twice')) });
    const again = await app.request(`/products/${id}/images`, { method: 'POST', body: form(pngBytes('twice')) });
    expect([first.status, again.status]).toEqual([202, 200]);
    const [a, b] = [await first.json(), await again.json()];
    expect(b).toEqual(a);
    expect((await products.findById(id))?.product_images).toHaveLength(1);
  });

  it('answers 503 service.busy with Retry-After when every upload slot stays taken', async () => {
    const { app, id } = await setup({ uploadConcurrency: 1, uploadSlotWaitMs: 20 });
    let finish!: () => void;
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('--B\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n\x89PNG'));
        finish = () => {
          controller.enqueue(new TextEncoder().encode('\r\n--B--\r\n'));
          controller.close();
        };
      },
    });
    const holding = app.request(`/products/${id}/images`, {
      method: 'POST',
      body: stalled,
      headers: { 'content-type': 'multipart/form-data; boundary=B' },
      duplex: 'half',
    } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const busy = await app.request(`/products/${id}/images`, { method: 'POST', body: form(pngBytes('second')) });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await busy.json()).toMatchObject({ code: 'service.busy' });
    finish();
    expect((await holding).status).toBe(400); // the stalled part was no image
    expect((await app.request(`/products/${id}/images`, { method: 'POST', body: form(pngBytes('later')) })).status).toBe(202);
  });

  it('answers 400 for a multipart body that does not parse', async () => {
    const { app, id } = await setup();
    const response = await app.request(`/products/${id}/images`, {
      method: 'POST',
      body: 'garbage',
      headers: { 'content-type': 'multipart/form-data; boundary=nope' },
    });
    expect(response.status).toBe(400);
  });
});

describe('GET /files/*', () => {
  it('serves stored objects with their type and immutable caching, only when enabled', async () => {
    const { app, objects } = await setup({ serveFiles: true });
    const bytes = pngBytes('served');
    await objects.put(KEY, bytes, 'image/webp');
    const response = await app.request(`/files/${KEY}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);

    for (const path of ['/files/images/missing.webp', '/files/../etc/passwd', '/files/images/%2e%2e/x.webp', '/files/', `/files/originals/${'a'.repeat(300)}.jpg`]) {
      const missing = await app.request(path);
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get('content-type'), path).toBe('application/problem+json');
    }
    const { app: without, objects: other } = await setup();
    await other.put(KEY, bytes, 'image/webp');
    expect((await without.request(`/files/${KEY}`)).status).toBe(404);
  });

  it('reads a key whose slash a client percent-encoded, as the document lets it', async () => {
    const { app, objects } = await setup({ serveFiles: true });
    await objects.put(KEY, pngBytes('encoded'), 'image/webp');
    expect((await app.request(`/files/${KEY.replace('/', '%2F')}`)).status).toBe(200);
  });

  it('sandboxes what it serves: never sniffed, never run as a page, never an unexpected type', async () => {
    const { app, objects } = await setup({ serveFiles: true });
    const original = `originals/${'c'.repeat(64)}.gif`;
    await objects.put(original, new TextEncoder().encode('GIF89a/*<html><script>alert(1)</script>'), 'image/gif');
    await objects.put(`originals/${'d'.repeat(64)}.bin`, new Uint8Array([1]), 'text/html');
    const served = await app.request(`/files/${original}`);
    expect(served.headers.get('content-type')).toBe('image/gif');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect((await app.request(`/files/originals/${'d'.repeat(64)}.bin`)).headers.get('content-type')).toBe('application/octet-stream');
  });

  it('documents the upload and files routes in OpenAPI', async () => {
    const { app } = await setup({ serveFiles: true });
    const document = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/products/{id}/images', '/files/{key}']));
  });
});

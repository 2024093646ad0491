import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { spawnService, type SpawnedService } from '../support/spawn-service.js';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';

// The abuse of the hardening issue, over real sockets against `npm start`'s entry point on the
// embedded default. Nothing here asserts a duration: each test checks what was answered.

/** A raw connection to the service: everything it answers, and whether the server closed it. */
function rawSocket(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  return {
    socket,
    send: (text: string) => new Promise<void>((resolve) => socket.write(text, 'latin1', () => resolve())),
    get received() {
      return received;
    },
    get closed() {
      return closed;
    },
  };
}

const flood = (parts: number) =>
  `${'--B\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\nx\r\n'.repeat(parts)}--B--\r\n`;

describe('hostile traffic against npm start', () => {
  let dataDir: string;
  let service: SpawnedService;
  let productId: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'catalog-hostile-'));
    service = await spawnService('server.ts', { DATA_DIR: dataDir, HTTP_HEADERS_TIMEOUT_MS: '500', SHUTDOWN_TIMEOUT_MS: '2000' }, 60_000);
    const user = await fetch(`${service.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION },
      body: JSON.stringify({ name: 'Mallory', email: `m-${Date.now()}@example.com` }),
    });
    const { id: user_id } = (await user.json()) as { id: number };
    const product = await fetch(`${service.url}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ADMIN_AUTHORIZATION },
      body: JSON.stringify({ user_id, product_name: 'Target', product_description: '', product_images: [], product_price: 1 }),
    });
    productId = ((await product.json()) as { id: number }).id;
  });
  afterAll(async () => {
    await service?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers the multipart flood at once (404 for a missing product, 400 for a real one) and keeps serving', async () => {
    const body = flood(370_000);
    const requests = [
      fetch(`${service.url}/products/999999/images`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=B', ...ADMIN_AUTHORIZATION }, body }),
      fetch(`${service.url}/products/${productId}/images`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=B', ...ADMIN_AUTHORIZATION }, body }),
    ];
    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    const [missing, real] = await Promise.all(requests.map((request) => request.catch((error: unknown) => error)));
    // The server may close the socket before the client finished sending 23 MB: that is the point.
    for (const [response, status] of [
      [missing, 404],
      [real, 400],
    ] as const) {
      if (response instanceof Response) {
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
      } else {
        expect(String(response)).toMatch(/fetch failed|other side closed|ECONNRESET|EPIPE/);
      }
    }
    expect((await fetch(`${service.url}/products/${productId}`)).status).toBe(200);
  });

  it('says Connection: close when it answers before reading a declared body, and then closes', async () => {
    const raw = rawSocket(service.url);
    await raw.send(
      `POST /products/999999/images HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${ADMIN_AUTHORIZATION.authorization}\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 10000000\r\n\r\n--B\r\n`,
    );
    await eventually(() => expect(raw.received).toMatch(/\r\n\r\n.*"code":"product\.not_found"/s));
    expect(raw.received).toMatch(/^HTTP\/1\.1 404 /);
    expect(raw.received.toLowerCase()).toContain('connection: close');
    await eventually(() => expect(raw.closed).toBe(true));
  });

  it('closes a connection whose headers never end (HTTP_HEADERS_TIMEOUT_MS)', async () => {
    const raw = rawSocket(service.url);
    await raw.send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    await eventually(() => expect(raw.closed).toBe(true), { timeout: 15_000 });
    expect(raw.received === '' || /^HTTP\/1\.1 408 /.test(raw.received)).toBe(true);
  });

  it('a 300-character file name is a 404 problem, not a 500', async () => {
    const response = await fetch(`${service.url}/files/originals/${'a'.repeat(300)}.jpg`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('exits on SIGTERM with an upload still being received', async () => {
    const raw = rawSocket(service.url);
    await raw.send(
      `POST /products/${productId}/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 1000000\r\n\r\n` +
        '--B\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG\r\n\x1a\n',
    );
    // The upload is now being spooled and never finishes; shutdown must not wait for it forever.
    const code = await service.stop('SIGTERM');
    expect(code === 0 || code === 1).toBe(true);
    const stopped = service.logs.find((line) => line.msg === 'service stopped' || line.msg === 'shutdown did not finish in time: exiting now');
    expect(stopped).toBeDefined();
  });
});

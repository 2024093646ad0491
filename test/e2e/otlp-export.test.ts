import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTHORIZATION } from '../support/admin-key.js';
import { startImageOrigin, type ImageOrigin } from '../support/image-origin.js';
import { serviceDeps } from '../support/service-deps.js';
import { spawnService } from '../support/spawn-service.js';
import { catalogClient } from './catalog-client.js';

// `npm start` with OTEL_EXPORTER_OTLP_ENDPOINT sends its spans to that collector over OTLP/HTTP
// (protobuf); without it, nothing is traced. The collector here only records what it receives.
interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

let collector: Server;
let collectorUrl: string;
let origin: ImageOrigin;
const received: Received[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  origin = await startImageOrigin();
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  collector.listen(0, '127.0.0.1');
  await once(collector, 'listening');
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  collector?.close();
  await origin?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  const dataDir = await mkdtemp(join(tmpdir(), 'catalog-otlp-'));
  dirs.push(dataDir);
  return spawnService('server.ts', { DATA_DIR: dataDir, IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true', ...env }, 60_000);
}

describe('OTLP export', () => {
  it('exports the POST and its image job, in one trace, to OTEL_EXPORTER_OTLP_ENDPOINT', { timeout: 90_000 }, async () => {
    const service = await start({ OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_SERVICE_NAME: 'catalog-otlp-test' });
    expect(service.logs.find((line) => line.msg === 'service started')).toMatchObject({ backends: { tracing: `otlp ${collectorUrl}` } });
    const client = catalogClient(service.url);
    const user = await client.user();
    const trace = '5bf92f3577b34da6a3ce929d0e0e4737';
    const created = await fetch(`${service.url}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${trace}-00f067aa0ba902b7-01`, ...ADMIN_AUTHORIZATION },
      body: JSON.stringify({ user_id: user, product_name: 'Traced', product_description: '', product_images: [`${origin.url}/images/dune.jpg?otlp=1`], product_price: 1 }),
    });
    expect(created.status).toBe(201);
    await client.settled(((await created.json()) as { id: number }).id);
    // SIGTERM flushes the batch before the process exits.
    expect(await service.stop('SIGTERM')).toBe(0);
    const exports = received.filter((request) => request.path === '/v1/traces');
    expect(exports.length).toBeGreaterThan(0);
    expect(exports.every((request) => request.contentType === 'application/x-protobuf')).toBe(true);
    const body = Buffer.concat(exports.map((request) => request.body));
    for (const text of ['catalog-otlp-test', 'POST /products', 'image.process', 'download', 'compress', 'commit']) expect(body.includes(text)).toBe(true);
    // Trace ids travel as 16 raw bytes; the incoming one is on the POST's span and the job's.
    const traceBytes = Buffer.from(trace, 'hex');
    let count = 0;
    for (let at = body.indexOf(traceBytes); at >= 0; at = body.indexOf(traceBytes, at + 1)) count += 1;
    expect(count).toBeGreaterThanOrEqual(6);
  });

  it('traces nothing without the variable', { timeout: 60_000 }, async () => {
    received.length = 0;
    const service = await start({});
    expect(service.logs.find((line) => line.msg === 'service started')?.backends).not.toHaveProperty('tracing');
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(received).toEqual([]);
  });

  it('is what the composition root builds for the variable, and its close flushes the spans', { timeout: 60_000 }, async () => {
    received.length = 0;
    const service = await serviceDeps({ OTEL_EXPORTER_OTLP_ENDPOINT: `${collectorUrl}/` });
    expect(service.backends.tracing).toBe(`otlp ${collectorUrl}/`);
    await service.deps.tracer?.span('composition-root-span', {}, async () => undefined);
    await service.close();
    expect(received.map((request) => request.path)).toEqual(['/v1/traces']);
    expect(received[0]?.body.includes('composition-root-span')).toBe(true);
  });
});

import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { OtelTracer } from '../../src/adapters/opentelemetry/index.js';
import { memoryApiDeps } from '../support/memory-deps.js';
import { aNewProduct, aNewUser } from '../support/mothers.js';
import { appWith, jsonInit } from './support/http-harness.js';

// The request span on the in-memory fakes: its name, attributes and the traceparent every write stores.
function tracedApp() {
  const exporter = new InMemorySpanExporter();
  const memory = memoryApiDeps();
  const { app } = appWith(memory.deps, { tracer: new OtelTracer({ exporter, processor: 'simple' }) });
  return { app, exporter, outbox: memory.outbox };
}

describe('request spans', () => {
  it('names each span by method and route template, and stores its traceparent with the tasks a write queues', async () => {
    const { app, exporter, outbox } = tracedApp();
    const user = (await (await app.request('/users', jsonInit('POST', aNewUser()))).json()) as { id: number };
    const created = await app.request('/products', jsonInit('POST', aNewProduct(user.id, { product_images: ['https://img.example/a.jpg'] })));
    const { id } = (await created.json()) as { id: number };
    await app.request(`/products/${id}`, jsonInit('PATCH', { product_images: ['https://img.example/b.jpg'] }));
    expect((await app.request(`/products/${id}`)).status).toBe(200);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['POST /users', 'POST /products', 'PATCH /products/:id', 'GET /products/:id']);
    const [, post, patch] = spans;
    expect(post?.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/products', 'http.response.status_code': 201 });
    const parents = outbox.pending.map((message) => message.traceparent?.split('-')[2]);
    // The POST queued its image's task and its product.created event; the PATCH the rest.
    expect(parents.slice(0, 2)).toEqual([post?.spanContext().spanId, post?.spanContext().spanId]);
    expect(parents.slice(2).every((spanId) => spanId === patch?.spanContext().spanId)).toBe(true);
    expect(parents.length).toBeGreaterThanOrEqual(3);
  });

  it('names a request no route matched `unmatched`, never its raw path', async () => {
    const { app, exporter } = tracedApp();
    expect((await app.request('/no/such/path/42')).status).toBe(404);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET unmatched');
    expect(span?.attributes).toMatchObject({ 'http.route': 'unmatched', 'http.response.status_code': 404 });
  });
});

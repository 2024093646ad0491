import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from '../../../src/application/index.js';
import type { Built, ServiceDeps } from '../../../src/main/build-deps.js';
import { appWith, jsonInit } from '../../http/support/http-harness.js';
import { eventually } from '../../support/eventually.js';
import { startImageOrigin, type ImageOrigin } from '../../support/image-origin.js';
import { aNewProduct, aNewUser } from '../../support/mothers.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { useRabbitMq } from '../../support/rabbitmq.js';
import { serviceDeps } from '../../support/service-deps.js';

// One trace from the POST to the end of its image job, through the outbox row and the queue's
// message (the in-process envelope, or RabbitMQ's headers), recorded with in-memory exporters.
const rabbit = useRabbitMq();
const STAGES = ['download', 'compress', 'store', 'commit'];
const INCOMING_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING_SPAN = '00f067aa0ba902b7';

let origin: ImageOrigin;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  origin = await startImageOrigin();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await origin?.close();
});

/** A service built by the composition root, its spans going to an exporter of its own. */
async function traced(env: Record<string, string>, runWorker: boolean) {
  const exporter = new InMemorySpanExporter();
  const service: Built<ServiceDeps> = await serviceDeps({ IMAGE_FETCH_ALLOW_PRIVATE_NETWORKS: 'true', OUTBOX_POLL_INTERVAL_MS: '100', ...env }, undefined, {
    spanExporter: exporter,
  });
  const worker: RunningWorker | undefined = runWorker ? await startWorker(service.deps.worker, { pollIntervalMs: 100 }) : undefined;
  cleanups.push(async () => {
    await worker?.stop();
    await service.close();
  });
  const { app } = appWith(service.deps.api, { tracer: service.deps.tracer });
  return { app, exporter, service };
}

/** Posts a product with one image and waits until the worker's commit span has ended in `exporter`. */
async function postAndSettle(app: Awaited<ReturnType<typeof traced>>['app'], workerSpans: InMemorySpanExporter, headers: Record<string, string>) {
  const user = (await (await app.request('/users', jsonInit('POST', aNewUser()))).json()) as { id: number };
  const response = await app.request('/products', jsonInit('POST', aNewProduct(user.id, { product_images: [`${origin.url}/images/dune.jpg?trace=${Math.random()}`] }), headers));
  expect(response.status).toBe(201);
  await eventually(() => expect(workerSpans.getFinishedSpans().filter((span) => span.name === 'image.process')).not.toHaveLength(0), { timeout: 30_000 });
  return response;
}

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The POST's span and the worker's spans of its trace, checked for shape: task under POST, stages under task. */
function expectOneTrace(apiSpans: readonly ReadableSpan[], workerSpans: readonly ReadableSpan[]) {
  const post = apiSpans.find((span) => span.name === 'POST /products');
  expect(post?.kind).toBe(SpanKind.SERVER);
  const trace = traceOf(post!);
  const task = workerSpans.find((span) => span.name === 'image.process' && traceOf(span) === trace);
  expect(task).toBeDefined();
  expect(task!.kind).toBe(SpanKind.CONSUMER);
  expect(parentOf(task!)).toBe(idOf(post!));
  expect(task!.attributes).toMatchObject({ 'task.outcome': 'done', 'task.attempt': 1 });
  const stages = workerSpans.filter((span) => STAGES.includes(span.name) && traceOf(span) === trace);
  // Every stage once, but `store` once per object put: each rendition is its own object.
  expect([...new Set(stages.map((span) => span.name))].sort()).toEqual([...STAGES].sort());
  expect(stages.filter((span) => span.name !== 'store').map((span) => span.name).sort()).toEqual(STAGES.filter((stage) => stage !== 'store').sort());
  for (const stage of stages) expect(parentOf(stage)).toBe(idOf(task!));
  expect(post!.attributes).toMatchObject({ 'http.route': '/products', 'http.response.status_code': 201 });
  return post!;
}

describe('traces on the embedded default', () => {
  it('continues an incoming traceparent from the POST into its image job', { timeout: 60_000 }, async () => {
    const { app, exporter } = await traced({}, true);
    const response = await postAndSettle(app, exporter, { traceparent: `00-${INCOMING_TRACE}-${INCOMING_SPAN}-01` });
    const post = expectOneTrace(exporter.getFinishedSpans(), exporter.getFinishedSpans());
    expect(traceOf(post)).toBe(INCOMING_TRACE);
    expect(parentOf(post)).toBe(INCOMING_SPAN);
    expect(post.attributes['request.id']).toBe(response.headers.get('x-request-id'));
  });

  it('starts a new trace for a request without a valid traceparent, and the job still joins it', { timeout: 60_000 }, async () => {
    const { app, exporter } = await traced({}, true);
    await postAndSettle(app, exporter, { traceparent: '00-not-a-trace-01' });
    const post = expectOneTrace(exporter.getFinishedSpans(), exporter.getFinishedSpans());
    expect(traceOf(post)).toMatch(/^[0-9a-f]{32}$/);
    expect(traceOf(post)).not.toBe(INCOMING_TRACE);
    expect(parentOf(post)).toBeUndefined();
  });
});

describe('traces on PostgreSQL and RabbitMQ', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    cleanups.push(() => database.drop());
  });

  it('joins the worker process\'s spans to the API process\'s POST through the outbox row and the message headers', { timeout: 60_000 }, async () => {
    const env = { DATABASE_URL: database.url, AMQP_URL: rabbit.url, AMQP_PREFIX: rabbit.prefix() };
    // Two services as two processes would build them: only the second runs the relay and the consumer.
    const api = await traced(env, false);
    const worker = await traced(env, true);
    await postAndSettle(api.app, worker.exporter, { traceparent: `00-${INCOMING_TRACE}-${INCOMING_SPAN}-01` });
    const post = expectOneTrace(api.exporter.getFinishedSpans(), worker.exporter.getFinishedSpans());
    expect(traceOf(post)).toBe(INCOMING_TRACE);
    expect(api.exporter.getFinishedSpans().some((span) => span.name === 'image.process')).toBe(false);
  });
});

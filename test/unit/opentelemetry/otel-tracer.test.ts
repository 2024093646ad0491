import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { OtelTracer } from '../../../src/adapters/opentelemetry/index.js';
import { traced } from '../../../src/application/index.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

function recording() {
  const exporter = new InMemorySpanExporter();
  return { exporter, tracer: new OtelTracer({ exporter, processor: 'simple', serviceName: 'catalog-test' }) };
}

describe('OtelTracer', () => {
  it('nests spans started inside a span, and hands out each one as a W3C traceparent', async () => {
    const { exporter, tracer } = recording();
    let outer: string | undefined;
    let inner: string | undefined;
    await tracer.span('task', { kind: 'consumer', attributes: { 'task.attempt': 1 } }, async (span) => {
      outer = span.traceparent;
      await tracer.span('stage', {}, async (child) => {
        inner = child.traceparent;
      });
    });
    const [, outerTrace, outerSpan] = TRACEPARENT.exec(outer ?? '') ?? [];
    const [, innerTrace] = TRACEPARENT.exec(inner ?? '') ?? [];
    expect(innerTrace).toBe(outerTrace);
    const [stage, task] = exporter.getFinishedSpans();
    expect(stage?.parentSpanContext?.spanId).toBe(outerSpan);
    expect(task).toMatchObject({ name: 'task', kind: SpanKind.CONSUMER, attributes: { 'task.attempt': 1 } });
    expect(task?.parentSpanContext).toBeUndefined();
    expect(task?.resource.attributes['service.name']).toBe('catalog-test');
    await tracer.close();
  });

  it('continues a given parent, ignoring the span in progress, and starts a new trace for a malformed or absent one', async () => {
    const { exporter, tracer } = recording();
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await tracer.span('around', {}, async () => {
      await tracer.span('continued', { parent, kind: 'server' }, async () => undefined);
      await tracer.span('fresh', { parent: 'garbage' }, async () => undefined);
      await tracer.span('unparented', { parent: undefined }, async () => undefined);
    });
    const byName = Object.fromEntries(exporter.getFinishedSpans().map((span) => [span.name, span]));
    expect(byName.continued?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(byName.continued?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    for (const name of ['fresh', 'unparented']) {
      expect(byName[name]?.parentSpanContext).toBeUndefined();
      expect(byName[name]?.spanContext().traceId).not.toBe(byName.around?.spanContext().traceId);
    }
    await tracer.close();
  });

  it('renames a span and marks it failed when its work rejects, passing the rejection on', async () => {
    const { exporter, tracer } = recording();
    await expect(
      tracer.span('GET', {}, async (span) => {
        span.updateName('GET /products/:id');
        span.setAttributes({ 'http.response.status_code': 500 });
        throw new Error('database gone');
      }),
    ).rejects.toThrow('database gone');
    await expect(tracer.span('plain', {}, () => Promise.reject('text'))).rejects.toBe('text');
    const [failed, plain] = exporter.getFinishedSpans();
    expect(failed).toMatchObject({ name: 'GET /products/:id', status: { code: SpanStatusCode.ERROR, message: 'database gone' } });
    expect(failed?.events.map((event) => event.name)).toEqual(['exception']);
    expect(plain?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'text' });
    await tracer.flush();
    await tracer.close();
  });
});

describe('traced', () => {
  it('runs the work with an inert span when nothing is traced', async () => {
    const result = await traced(undefined, 'stage', {}, async (span) => {
      span.setAttributes({ a: 1 });
      span.updateName('other');
      return span.traceparent ?? 'untraced';
    });
    expect(result).toBe('untraced');
  });
});

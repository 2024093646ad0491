import { AsyncLocalStorage } from 'node:async_hooks';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer as OtelApiTracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { SpanOptions, TraceSpan, Tracer } from '../../application/ports/tracer.js';

export interface OtelTracerOptions {
  /** Where finished spans go: OTLP in production, an in-memory exporter in tests. */
  readonly exporter: SpanExporter;
  /** `service.name` of every span (default `product-catalog`). */
  readonly serviceName?: string;
  /** `batch` (default) exports in the background; `simple` exports each span as it ends (tests). */
  readonly processor?: 'batch' | 'simple';
}

const KINDS = { server: SpanKind.SERVER, consumer: SpanKind.CONSUMER, internal: SpanKind.INTERNAL } as const;
const propagator = new W3CTraceContextPropagator();

/** The W3C traceparent of `span`, as a header or message would carry it. */
function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

/**
 * The Tracer port on the OpenTelemetry SDK, with a provider of its own: nothing is registered
 * globally, so two instances in one process (tests) stay apart. The span in progress is kept in
 * an AsyncLocalStorage of this instance; a `parent` traceparent is extracted with the W3C
 * propagator (an invalid one starts a new trace).
 */
export class OtelTracer implements Tracer {
  readonly #provider: BasicTracerProvider;
  readonly #tracer: OtelApiTracer;
  readonly #active = new AsyncLocalStorage<Context>();

  constructor(options: OtelTracerOptions) {
    const processor = options.processor === 'simple' ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(options.exporter);
    this.#provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName ?? 'product-catalog' }),
      spanProcessors: [processor],
    });
    this.#tracer = this.#provider.getTracer('product-catalog');
  }

  async span<T>(name: string, options: SpanOptions, work: (span: TraceSpan) => Promise<T>): Promise<T> {
    const parent =
      'parent' in options
        ? propagator.extract(ROOT_CONTEXT, options.parent === undefined ? {} : { traceparent: options.parent }, defaultTextMapGetter)
        : (this.#active.getStore() ?? ROOT_CONTEXT);
    const span = this.#tracer.startSpan(name, { kind: KINDS[options.kind ?? 'internal'], attributes: options.attributes }, parent);
    const handle: TraceSpan = {
      traceparent: traceparentOf(span),
      setAttributes: (attributes) => void span.setAttributes(attributes),
      updateName: (next) => void span.updateName(next),
    };
    try {
      return await this.#active.run(trace.setSpan(parent, span), () => work(handle));
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  }

  /** Exports what is still buffered. */
  flush(): Promise<void> {
    return this.#provider.forceFlush();
  }

  /** Exports what is buffered and stops the exporter. */
  close(): Promise<void> {
    return this.#provider.shutdown();
  }
}

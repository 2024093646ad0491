import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * OTLP over HTTP with protobuf bodies to `<endpoint>/v1/traces`, the path the OpenTelemetry
 * specification appends to OTEL_EXPORTER_OTLP_ENDPOINT for traces.
 */
export function otlpTraceExporter(endpoint: string): SpanExporter {
  return new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
}

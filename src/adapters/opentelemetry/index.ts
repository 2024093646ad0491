export * from './otel-tracer.js';
export * from './otlp-exporter.js';

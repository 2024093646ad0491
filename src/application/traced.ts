import type { SpanOptions, TraceSpan, Tracer } from './ports/tracer.js';

const UNTRACED: TraceSpan = { traceparent: undefined, setAttributes: () => undefined, updateName: () => undefined };

/** `work` in a span of `tracer`, or simply `work` when nothing is traced (no tracer configured). */
export function traced<T>(tracer: Tracer | undefined, name: string, options: SpanOptions, work: (span: TraceSpan) => Promise<T>): Promise<T> {
  return tracer ? tracer.span(name, options, work) : work(UNTRACED);
}

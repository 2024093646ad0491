/** Attribute values a span may carry. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/** A unit of traced work, as the code doing it sees it. */
export interface TraceSpan {
  /** This span as a W3C `traceparent`, to carry into what it causes (outbox rows, messages). */
  readonly traceparent: string | undefined;
  setAttributes(attributes: SpanAttributes): void;
  /** Renames the span once more is known (the route template, after routing). */
  updateName(name: string): void;
}

export interface SpanOptions {
  /**
   * The parent as a W3C `traceparent` (an incoming header, a message's): a malformed or absent
   * one starts a new trace. Without this option the span is a child of the one in progress.
   */
  readonly parent?: string | undefined;
  readonly kind?: 'server' | 'consumer' | 'internal';
  readonly attributes?: SpanAttributes;
}

/** Traces work: the HTTP request, each task a worker handles, each stage of an image job. */
export interface Tracer {
  /**
   * Runs `work` in a new span that ends when it settles; spans started inside it are its
   * children. A rejection marks the span failed and is passed on.
   */
  span<T>(name: string, options: SpanOptions, work: (span: TraceSpan) => Promise<T>): Promise<T>;
}

import { bulkCreateProducts, type ApiDeps, type BulkResult } from '../../application/index.js';
import { actorOf } from './authentication.js';
import { createRouter } from './create-router.js';
import { isNdjson, NDJSON } from './bulk-body.js';
import { ndjsonItems } from './ndjson-items.js';
import { bulkOperations as op } from './operations/bulk-operations.js';
import { PROBLEMS, ProblemError, statusOf, unwrap } from './problem.js';
import { MAX_FIELD_ERRORS } from './problem-response.js';

export interface BulkRoutesOptions {
  readonly deps: Pick<ApiDeps, 'products' | 'cache'>;
  /** Longest NDJSON line, as for the body of one create (1 MiB by default). */
  readonly maxLineBytes: number;
}


/** One item's answer: its id and Location, or its problem (with field errors). */
function rendered({ index, outcome }: BulkResult) {
  if (outcome.ok) {
    const { id } = outcome.value.product;
    return { index, status: 201, id, location: `/products/${id}`, ...(outcome.value.replayed && { replayed: true as const }) };
  }
  const { code, message, errors } = outcome.error;
  const status = statusOf(code, errors);
  return {
    index,
    status,
    problem: { type: `/problems/${code}`, title: PROBLEMS[code].title, status, detail: message, code, ...(errors && { errors: errors.slice(0, MAX_FIELD_ERRORS) }) },
  };
}

/** POST /products/bulk: a JSON array answered at once, or an NDJSON stream answered as it goes. */
export function bulkRoutes({ deps, maxLineBytes }: BulkRoutesOptions) {
  return createRouter().openapi(op.bulk, async (c) => {
    const streamed = isNdjson(c.req.header('content-type'));
    const atomic = c.req.valid('query').atomic === 'true';
    const options = { idempotencyKey: c.req.valid('header')['idempotency-key'], requestId: c.var.requestId, traceparent: c.var.traceparent, actor: actorOf(c), atomic };
    const items = streamed ? ndjsonItems(c.req.raw.body, maxLineBytes) : ((await c.req.json()) as unknown[]).map((value) => ({ ok: true as const, value }));
    if (atomic || !streamed) {
      // At most 1,000 items (the array's limit, or atomic's): answered once all are stored.
      const answers = [];
      for await (const result of unwrap(bulkCreateProducts(deps, items, options))) answers.push(rendered(result));
      const failed = answers.filter((answer) => answer.status !== 201 && answer.problem?.code !== 'bulk.not_created').length;
      if (atomic && failed > 0) throw new ProblemError('bulk.not_created', `Nothing was created: ${failed} of ${answers.length} items failed (see results).`, undefined, { results: answers });
      if (!streamed) return c.json(answers, 200);
      return c.body(answers.map((answer) => `${JSON.stringify(answer)}\n`).join(''), 200, { 'Content-Type': NDJSON }) as never;
    }
    const results = unwrap(bulkCreateProducts(deps, items, options))[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    // Pulled as the client reads: one chunk of items is read, stored and answered at a time.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await results.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(`${JSON.stringify(rendered(next.value))}\n`));
      },
      async cancel() {
        await results.return?.();
      },
    });
    return c.body(body, 200, { 'Content-Type': NDJSON }) as never;
  });
}

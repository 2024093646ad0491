import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { DomainError, ErrorCode, FieldError, Result } from '../../domain/index.js';

/** Codes the HTTP layer adds to the domain's: failures of the request itself or of the service. */
export type HttpErrorCode =
  | 'request.malformed_json'
  | 'request.unsupported_media_type'
  | 'request.too_large'
  | 'route.not_found'
  | 'method.not_allowed'
  | 'service.not_ready'
  | 'service.busy'
  | 'auth.unauthenticated'
  | 'rate_limit.exceeded'
  | 'internal';

export type ProblemCode = ErrorCode | HttpErrorCode;

/**
 * The one table from error code to HTTP status and title. `satisfies` makes a new domain
 * ErrorCode a compile error here until it is mapped.
 */
export const PROBLEMS = {
  'validation.failed': { status: 400, title: 'Invalid request' },
  'request.malformed_json': { status: 400, title: 'Malformed JSON' },
  'request.unsupported_media_type': { status: 415, title: 'Unsupported media type' },
  'request.too_large': { status: 413, title: 'Request body too large' },
  'route.not_found': { status: 404, title: 'Route not found' },
  'method.not_allowed': { status: 405, title: 'Method not allowed' },
  'product.not_found': { status: 404, title: 'Product not found' },
  'product.too_many_images': { status: 409, title: 'Too many images' },
  'product.owner_mismatch': { status: 409, title: 'Owner cannot change' },
  'image.not_found': { status: 404, title: 'Image not found' },
  'image.not_ready': { status: 409, title: 'Image not processed yet' },
  'user.not_found': { status: 404, title: 'User not found' },
  'user.email_taken': { status: 409, title: 'Email already taken' },
  'idempotency.key_reused': { status: 422, title: 'Idempotency key reused' },
  'auth.forbidden': { status: 403, title: 'Forbidden' },
  'api_key.not_found': { status: 404, title: 'API key not found' },
  'bulk.not_created': { status: 422, title: 'Not created: an item of the atomic request failed' },
  'bulk.too_many_items': { status: 413, title: 'Too many items' },
  'webhook.not_found': { status: 404, title: 'Webhook not found' },
  'image.not_failed': { status: 409, title: 'Image has not failed' },
  'dead_letter.not_found': { status: 404, title: 'Dead letter not found' },
  'auth.unauthenticated': { status: 401, title: 'Unauthenticated' },
  'rate_limit.exceeded': { status: 429, title: 'Too many requests' },
  'service.not_ready': { status: 503, title: 'Service not ready' },
  'service.busy': { status: 503, title: 'Service busy' },
  internal: { status: 500, title: 'Internal server error' },
} as const satisfies Record<ProblemCode, { status: ContentfulStatusCode; title: string }>;

export const PROBLEM_CODES = Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]];

/**
 * The status for a code. A `*.not_found` that names body fields in `errors` is 422: the URL was
 * fine, but the content refers to something missing (POST /products with an unknown user_id).
 * Without field errors the missing thing is the URL's resource: 404.
 */
export function statusOf(code: ProblemCode, errors?: readonly FieldError[]): ContentfulStatusCode {
  const { status } = PROBLEMS[code];
  return status === 404 && errors !== undefined && errors.length > 0 ? 422 : status;
}

/** An expected failure on its way to the error handler, which renders it as problem+json. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: readonly FieldError[],
    /** Extra members of the problem object, e.g. `checks` on service.not_ready. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
  }

  get status(): ContentfulStatusCode {
    return statusOf(this.code, this.errors);
  }
}

/** The value of a use case result, or throws its DomainError as a ProblemError. */
export function unwrap<T>(result: Result<T, DomainError>): T {
  if (result.ok) return result.value;
  throw new ProblemError(result.error.code, result.error.message, result.error.errors);
}

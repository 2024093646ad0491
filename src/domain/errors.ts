/** One problem with one input field; `path` uses dots and brackets: `product_images[2]`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** Stable, namespaced codes for expected business failures. Clients may switch on them. */
export type ErrorCode =
  | 'validation.failed'
  | 'user.not_found'
  | 'user.email_taken'
  | 'product.not_found'
  | 'product.too_many_images'
  | 'product.owner_mismatch'
  | 'image.not_found'
  | 'image.not_ready'
  | 'idempotency.key_reused'
  | 'auth.forbidden'
  | 'api_key.not_found'
  | 'bulk.not_created'
  | 'bulk.too_many_items'
  | 'webhook.not_found'
  | 'image.not_failed'
  | 'dead_letter.not_found';

export interface DomainError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly errors?: readonly FieldError[];
}

export const domainError = (
  code: ErrorCode,
  message: string,
  errors?: readonly FieldError[],
): DomainError => (errors ? { code, message, errors } : { code, message });

export const validationFailed = (errors: readonly FieldError[]): DomainError =>
  domainError('validation.failed', 'The request has invalid fields.', errors);

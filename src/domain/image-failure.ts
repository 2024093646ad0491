/** Why an image could not be processed; stable codes shown to users on the image. */
export type ImageFailureCode =
  | 'image.invalid_url'
  | 'image.blocked_address'
  | 'image.too_many_redirects'
  | 'image.not_found'
  | 'image.http_error'
  | 'image.unavailable'
  | 'image.timeout'
  | 'image.connection_failed'
  | 'image.too_large'
  | 'image.too_many_pixels'
  | 'image.unsupported_type'
  | 'image.not_an_image'
  | 'image.corrupt'
  | 'image.source_missing'
  | 'storage.unavailable';

/**
 * A failure of one image job. Permanent ones (bad source, blocked address, too large) fail the
 * image at once; transient ones (timeouts, 5xx, 429, storage hiccups) are retried with backoff.
 */
export class ImageFailure extends Error {
  override readonly name = 'ImageFailure';

  constructor(
    readonly code: ImageFailureCode,
    readonly transient: boolean,
    message: string,
  ) {
    super(message);
  }

  /** What users see on the image: `code: message`. */
  get reason(): string {
    return `${this.code}: ${this.message}`;
  }
}

export const permanentFailure = (code: ImageFailureCode, message: string) => new ImageFailure(code, false, message);
export const transientFailure = (code: ImageFailureCode, message: string) => new ImageFailure(code, true, message);

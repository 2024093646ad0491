import { type ImageFailure, permanentFailure, transientFailure } from '../../domain/index.js';

const MiB = 1024 * 1024;

/** What a non-2xx final status means for the image: 404/410 and most 4xx are final, 408/429/5xx are retried. */
export function failureForStatus(status: number): ImageFailure {
  const message = `The image source answered HTTP ${status}`;
  if (status === 404 || status === 410) return permanentFailure('image.not_found', message);
  if (status === 408 || status === 429 || status >= 500) return transientFailure('image.unavailable', message);
  return permanentFailure('image.http_error', message);
}

/** The `code` of a Node or undici error (`ECONNREFUSED`, `UND_ERR_SOCKET`), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A network error (refused, reset, TLS, unreachable) as a transient failure. Only the error code
 * reaches the message: driver messages may carry internal details.
 */
export function failureForError(error: unknown): ImageFailure {
  return transientFailure('image.connection_failed', `Could not download the image (${errorCode(error) ?? 'network error'})`);
}

export const tooLarge = (maxBytes: number): ImageFailure =>
  permanentFailure('image.too_large', `The image is larger than the ${+(maxBytes / MiB).toFixed(2)} MiB limit`);

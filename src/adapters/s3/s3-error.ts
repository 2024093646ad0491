import { S3ServiceException } from '@aws-sdk/client-s3';

/**
 * Whether the SDK error says the object is not there. A missing bucket is a 404 too, but it is a
 * misconfiguration that must surface, so NoSuchBucket does not count (HEAD answers carry no code,
 * so `exists` cannot tell the two apart).
 */
export const isMissingObject = (error: unknown): boolean => isNotFound(error) && (error as Error).name !== 'NoSuchBucket';

/** Whether S3 answered 404, whatever was missing. */
export const isNotFound = (error: unknown): boolean =>
  error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;

/**
 * A one-line reason for a failed bucket call. HEAD answers have no body, so the SDK's message is then
 * "UnknownError" and the status says more; Node reports a refused dual-stack connect as an
 * AggregateError with an empty message and a code.
 */
export function describeBucketError(error: unknown): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    const reason = status === 404 ? 'bucket not found' : status === 403 ? 'access denied' : error.message;
    return `${error.name}: ${reason} (HTTP ${status})`;
  }
  if (!(error instanceof Error)) return String(error);
  const { code } = error as { code?: unknown };
  return error.message || `${error.name} ${String(code)}`;
}

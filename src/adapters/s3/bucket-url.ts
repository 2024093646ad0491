/** Where a bucket lives, as the S3 client is configured to reach it. */
export interface BucketLocation {
  readonly bucket: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly forcePathStyle?: boolean;
}

/**
 * The public base URL of a bucket's objects, without a trailing slash: path-style
 * (`${endpoint}/${bucket}`) or virtual-host style (`${bucket}.${host}`), on AWS when no endpoint is given.
 */
export function bucketUrl({ bucket, region, endpoint, forcePathStyle = false }: BucketLocation): string {
  const base = new URL(endpoint ?? `https://s3.${region}.amazonaws.com`);
  const origin = `${base.protocol}//${forcePathStyle ? '' : `${bucket}.`}${base.host}`;
  const path = base.pathname.replace(/\/+$/, '');
  return forcePathStyle ? `${origin}${path}/${bucket}` : `${origin}${path}`;
}

/** Percent-encodes each segment of a key, leaving the slashes; content-addressed keys come out unchanged. */
export const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

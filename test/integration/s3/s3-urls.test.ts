import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3ObjectStore, type S3ObjectStoreOptions } from '../../../src/adapters/s3/index.js';
import { describeBucketError } from '../../../src/adapters/s3/s3-error.js';

// No server needed: building a store does no I/O, and urlFor is computed locally.
async function urlFor(options: Omit<S3ObjectStoreOptions, 'bucket' | 'region'>, key = 'images/ab/cd.webp'): Promise<string> {
  const store = new S3ObjectStore({ bucket: 'catalog', region: 'eu-west-1', ...options });
  try {
    return store.urlFor(key);
  } finally {
    await store.close();
  }
}

describe('S3ObjectStore.urlFor', () => {
  it('uses the public base URL when given, with or without a trailing slash', async () => {
    expect(await urlFor({ publicBaseUrl: 'https://cdn.example.com/media/' })).toBe('https://cdn.example.com/media/images/ab/cd.webp');
    expect(await urlFor({ publicBaseUrl: 'https://cdn.example.com/media' })).toBe('https://cdn.example.com/media/images/ab/cd.webp');
  });

  it('puts the bucket in the path for path-style endpoints', async () => {
    const local = await urlFor({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    expect(local).toBe('http://127.0.0.1:9000/catalog/images/ab/cd.webp');
    const underPath = await urlFor({ endpoint: 'http://minio.local/s3/', forcePathStyle: true });
    expect(underPath).toBe('http://minio.local/s3/catalog/images/ab/cd.webp');
  });

  it('puts the bucket in the host for virtual-host endpoints', async () => {
    expect(await urlFor({ endpoint: 'https://storage.example.com' })).toBe('https://catalog.storage.example.com/images/ab/cd.webp');
  });

  it("uses the region's AWS host without an endpoint", async () => {
    expect(await urlFor({})).toBe('https://catalog.s3.eu-west-1.amazonaws.com/images/ab/cd.webp');
    expect(await urlFor({ forcePathStyle: true })).toBe('https://s3.eu-west-1.amazonaws.com/catalog/images/ab/cd.webp');
  });

  it('percent-encodes each segment of the key', async () => {
    expect(await urlFor({ publicBaseUrl: 'https://cdn.example.com' }, 'a b/ü?.webp')).toBe('https://cdn.example.com/a%20b/%C3%BC%3F.webp');
  });
});

describe('describeBucketError', () => {
  const s3Error = (name: string, status: number, message = 'UnknownError') =>
    new S3ServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode: status } });

  it('says what a bare HEAD status means', () => {
    expect(describeBucketError(s3Error('NotFound', 404))).toBe('NotFound: bucket not found (HTTP 404)');
    expect(describeBucketError(s3Error('Forbidden', 403))).toBe('Forbidden: access denied (HTTP 403)');
  });

  it("keeps the server's message for other answers", () => {
    expect(describeBucketError(s3Error('SlowDown', 503, 'Please reduce your request rate.'))).toBe(
      'SlowDown: Please reduce your request rate. (HTTP 503)',
    );
  });

  it('names the code of an error without a message, as a refused dual-stack connect is', () => {
    const refused = Object.assign(new AggregateError([new Error('a'), new Error('b')], ''), { code: 'ECONNREFUSED' });
    expect(describeBucketError(refused)).toBe('AggregateError ECONNREFUSED');
    expect(describeBucketError(new Error('socket hang up'))).toBe('socket hang up');
    expect(describeBucketError('boom')).toBe('boom');
  });
});

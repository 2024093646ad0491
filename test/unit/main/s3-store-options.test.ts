import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.js';
import { s3StoreOptions } from '../../../src/main/s3-store-options.js';

const options = (env: Record<string, string>) => {
  const config = loadConfig({ S3_BUCKET: 'catalog', ...env });
  return s3StoreOptions({ ...config, S3_BUCKET: config.S3_BUCKET! });
};

describe('s3StoreOptions', () => {
  it('passes the endpoint, path style, public URL and static credentials on', () => {
    expect(
      options({
        S3_ENDPOINT: 'http://s3:8333',
        S3_FORCE_PATH_STYLE: 'true',
        S3_PUBLIC_URL: 'http://127.0.0.1:8333/catalog',
        S3_ACCESS_KEY_ID: 'key',
        S3_SECRET_ACCESS_KEY: 'secret',
      }),
    ).toEqual({
      bucket: 'catalog',
      region: 'us-east-1',
      forcePathStyle: true,
      endpoint: 'http://s3:8333',
      publicBaseUrl: 'http://127.0.0.1:8333/catalog',
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
    });
  });

  it("leaves the SDK's defaults when only the bucket is set, and needs both keys for credentials", () => {
    expect(options({ S3_ACCESS_KEY_ID: 'key' })).toEqual({ bucket: 'catalog', region: 'us-east-1', forcePathStyle: false });
  });
});

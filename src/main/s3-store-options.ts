import type { S3ObjectStoreOptions } from '../adapters/s3/index.js';
import type { Config } from './config.js';

/** The S3 store's options from the configuration; callers check that S3_BUCKET is set. */
export function s3StoreOptions(config: Config & { S3_BUCKET: string }): S3ObjectStoreOptions {
  return {
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    ...(config.S3_ENDPOINT && { endpoint: config.S3_ENDPOINT }),
    ...(config.S3_PUBLIC_URL && { publicBaseUrl: config.S3_PUBLIC_URL }),
    ...(config.S3_ACCESS_KEY_ID &&
      config.S3_SECRET_ACCESS_KEY && {
        credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
      }),
  };
}

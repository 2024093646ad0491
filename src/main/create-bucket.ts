// `node dist/main/create-bucket.js`: creates S3_BUCKET when missing, once, before the service
// starts (compose's one-shot `bucket`). The S3 server may still be starting, so it retries for a
// while; then it exits 1 with the last error.
import { S3ObjectStore } from '../adapters/s3/index.js';
import { retryWithin } from '../application/index.js';
import { ConfigError, readConfig } from './config.js';
import { createLogger } from './logger.js';
import { s3StoreOptions } from './s3-store-options.js';

const GIVE_UP_AFTER_MS = 60_000;
const RETRY_EVERY_MS = 1_000;

try {
  const config = readConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.S3_BUCKET) throw new ConfigError(['S3_BUCKET: not set, so there is no bucket to create']);
  const store = new S3ObjectStore(s3StoreOptions({ ...config, S3_BUCKET: config.S3_BUCKET }));
  try {
    await retryWithin(() => store.ensureBucket(), {
      withinMs: GIVE_UP_AFTER_MS,
      everyMs: RETRY_EVERY_MS,
      onRetry: (error) => logger.warn({ err: error }, 'bucket not created yet: retrying'),
    });
    logger.info({ bucket: config.S3_BUCKET }, 'bucket ready');
  } finally {
    await store.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `bucket creation failed: ${String(error)}`}\n`);
  process.exitCode = 1;
}

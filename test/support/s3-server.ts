import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ObjectStore } from '../../src/adapters/s3/index.js';

/** An S3-protocol server for one test file; the bucket exists, and `close()` stops what was started. */
export interface TestS3Server {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Always path-style: s3rver and MinIO-style servers serve buckets under the endpoint's path. */
  readonly forcePathStyle: true;
  close(): Promise<void>;
}

// The slice of s3rver 3.7's (untyped, CommonJS) API used here.
interface S3rver {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  vhostBuckets: boolean;
  configureBuckets: { name: string }[];
}) => S3rver;

const BUCKET = 'catalog-test';
const REGION = 'us-east-1';
// s3rver's one built-in account.
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Uses the server at TEST_S3_ENDPOINT when set (bucket TEST_S3_BUCKET, region TEST_S3_REGION, keys
 * TEST_S3_ACCESS_KEY_ID / TEST_S3_SECRET_ACCESS_KEY; the bucket is created if missing); otherwise
 * starts s3rver on a free port of 127.0.0.1 over a temporary directory. Throws when neither works.
 */
export async function startS3Server(): Promise<TestS3Server> {
  const endpoint = process.env.TEST_S3_ENDPOINT;
  return endpoint ? useExternalServer(endpoint) : startS3rver();
}

async function useExternalServer(endpoint: string): Promise<TestS3Server> {
  const { TEST_S3_ACCESS_KEY_ID: accessKeyId, TEST_S3_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('TEST_S3_ENDPOINT is set, so TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY must be too.');
  }
  const server = {
    endpoint,
    bucket: process.env.TEST_S3_BUCKET ?? BUCKET,
    region: process.env.TEST_S3_REGION ?? REGION,
    credentials: { accessKeyId, secretAccessKey },
    forcePathStyle: true as const,
    close: () => Promise.resolve(),
  };
  const store = new S3ObjectStore(server);
  try {
    await store.ensureBucket();
  } catch (error) {
    throw new Error(`The S3 server at TEST_S3_ENDPOINT=${endpoint} is not usable: ${String(error)}`, { cause: error });
  } finally {
    await store.close();
  }
  return server;
}

async function startS3rver(): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'catalog-s3rver-'));
  try {
    // Loaded here, not at import, and through require because the package ships no types.
    const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
    const s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      directory,
      silent: true,
      vhostBuckets: false,
      configureBuckets: [{ name: BUCKET }],
    });
    const { port } = await s3rver.run();
    return {
      endpoint: `http://127.0.0.1:${port}`,
      bucket: BUCKET,
      region: REGION,
      credentials: S3RVER_CREDENTIALS,
      forcePathStyle: true,
      close: async () => {
        await s3rver.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw new Error(
      `Could not start s3rver (the devDependency that stands in for S3 in tests): ${String(error)}. ` +
        'Run `npm install`, or set TEST_S3_ENDPOINT (and TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY) to an S3-compatible server.',
      { cause: error },
    );
  }
}

/** The S3_* environment that points a service at `server` (path-style, its own credentials). */
export function s3Environment(server: TestS3Server): Record<string, string> {
  return {
    S3_BUCKET: server.bucket,
    S3_ENDPOINT: server.endpoint,
    S3_REGION: server.region,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: server.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
  };
}

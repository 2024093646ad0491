import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { ListedObject, ObjectBody, ObjectListing, ObjectStore, ObjectStream, Probe, StoredObject } from '../../application/index.js';
import { bucketUrl, encodeKey } from './bucket-url.js';
import { describeBucketError, isMissingObject, isNotFound } from './s3-error.js';

/** Static credentials; without them the SDK's default chain (environment, profile, instance role) applies. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface S3ObjectStoreOptions {
  readonly bucket: string;
  readonly region: string;
  /** An S3-compatible server (MinIO, s3rver); AWS when absent. */
  readonly endpoint?: string;
  /** `${endpoint}/${bucket}/key` addressing, which most self-hosted servers need. */
  readonly forcePathStyle?: boolean;
  readonly credentials?: S3Credentials;
  /** Where clients fetch objects (a CDN, say); the bucket's own URL when absent. */
  readonly publicBaseUrl?: string;
  /** Longest wait for one request's answer before it fails (and the SDK retries); 60 s by default. */
  readonly requestTimeoutMs?: number;
}

// Keys are hashes of the bytes, so an object never changes once written.
const CACHE_CONTROL = 'public, max-age=31536000, immutable';
// The SDK waits forever by default, which would hold a worker's job slot on a stalled server.
const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * `stream` as a Node stream that fails unless it carries exactly `size` bytes, aborting `abort`
 * when it does: the SDK pipes a body into its request, and a failing source alone would leave the
 * request waiting for the missing bytes.
 */
function exactly(size: number, stream: ReadableStream<Uint8Array>, abort: AbortController): Readable {
  const checked = Readable.from(
    (async function* () {
      let seen = 0;
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
        seen += chunk.byteLength;
        if (seen > size) throw new Error(`the body is longer than its declared ${size} bytes`);
        yield chunk;
      }
      if (seen !== size) throw new Error(`expected ${size} bytes to store, the stream gave ${seen}`);
    })(),
  );
  checked.on('error', (error) => abort.abort(error));
  return checked;
}

/** ObjectStore over an S3 bucket; SDK errors other than a missing object are thrown as they come. */
export class S3ObjectStore implements ObjectStore, ObjectListing {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #region: string;
  readonly #baseUrl: string;

  /** Readiness check: HeadBucket, failing with a one-line reason. */
  readonly probe: Probe;

  constructor(options: S3ObjectStoreOptions) {
    const { bucket, region, endpoint, forcePathStyle, credentials, requestTimeoutMs = REQUEST_TIMEOUT_MS } = options;
    const requestHandler = { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true };
    this.#client = new S3Client({ region, endpoint, forcePathStyle, credentials, requestHandler });
    this.#bucket = bucket;
    this.#region = region;
    this.#baseUrl = options.publicBaseUrl?.replace(/\/+$/, '') ?? bucketUrl(options);
    const where = endpoint ?? `AWS ${region}`;
    this.probe = {
      name: 's3',
      check: () =>
        this.#headBucket().catch((error: unknown) => {
          throw new Error(`S3 bucket "${bucket}" at ${where}: ${describeBucketError(error)}`, { cause: error });
        }),
    };
  }

  async put(key: string, body: ObjectBody, contentType: string): Promise<void> {
    // A stream goes out as it is read, with its length and digest declared: S3 needs the length for
    // a single PUT and checks the digest, and a declared checksum spares the SDK the chunked
    // trailer encoding that simpler S3 servers store verbatim.
    const abort = new AbortController();
    const payload =
      body instanceof Uint8Array
        ? { Body: body }
        : {
            Body: exactly(body.size, body.open(), abort),
            ContentLength: body.size,
            ChecksumSHA256: Buffer.from(body.sha256, 'hex').toString('base64'),
          };
    try {
      await this.#client.send(
        new PutObjectCommand({ Bucket: this.#bucket, Key: key, ...payload, ContentType: contentType, CacheControl: CACHE_CONTROL }),
        { abortSignal: abort.signal },
      );
    } catch (error) {
      // The body's own failure says more than the SDK's abort.
      throw abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason : error;
    }
  }

  async read(key: string): Promise<ObjectStream | null> {
    try {
      const response = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return {
        body: response.Body!.transformToWebStream() as ReadableStream<Uint8Array>,
        size: response.ContentLength ?? 0,
        contentType: response.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    try {
      const response = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      // The Node runtime always answers with a stream body, an empty one for an empty object.
      const bytes = await response.Body!.transformToByteArray();
      return { bytes, contentType: response.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
  }

  /** ListObjectsV2, 1000 keys a page. */
  async *list(prefix: string): AsyncIterable<ListedObject> {
    let token: string | undefined;
    do {
      const page = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ContinuationToken: token }));
      for (const item of page.Contents ?? []) {
        if (item.Key !== undefined) yield { key: item.Key, size: item.Size ?? 0, lastModified: item.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 whether or not the key existed.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }

  urlFor(key: string): string {
    return `${this.#baseUrl}/${encodeKey(key)}`;
  }

  /** Creates the bucket unless it exists; meant for development and test servers, not production. */
  async ensureBucket(): Promise<void> {
    if (await this.#bucketExists()) return;
    // us-east-1 is the one region that refuses an explicit location constraint.
    const LocationConstraint = this.#region as BucketLocationConstraint;
    const location = this.#region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint } };
    try {
      await this.#client.send(new CreateBucketCommand({ Bucket: this.#bucket, ...location }));
    } catch (error) {
      // Another caller may have created it since the check (BucketAlreadyExists on s3rver,
      // BucketAlreadyOwnedByYou on AWS); the bucket being there now is all that matters.
      if (!(await this.#bucketExists())) throw error;
    }
  }

  /** Releases the client's sockets. */
  async close(): Promise<void> {
    this.#client.destroy();
  }

  async #headBucket(): Promise<void> {
    await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }));
  }

  async #bucketExists(): Promise<boolean> {
    return this.#headBucket().then(
      () => true,
      (error: unknown) => {
        if (isNotFound(error)) return false;
        throw error;
      },
    );
  }
}

import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { S3ObjectStore, type S3ObjectStoreOptions } from '../../../src/adapters/s3/index.js';

const BUCKET = 'catalog';

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const storeAt = (endpoint: string, options: Partial<S3ObjectStoreOptions> = {}) =>
  new S3ObjectStore({ bucket: BUCKET, region: 'us-east-1', endpoint, forcePathStyle: true, credentials, ...options });

/** Runs `use` with a store whose endpoint is `server` (listening on a free port), then stops both. */
async function withEndpoint(
  server: Server,
  use: (store: S3ObjectStore) => Promise<void>,
  options: Partial<S3ObjectStoreOptions> = {},
): Promise<void> {
  // Tracked because an unread socket never notices the client hanging up, and close() would wait on it.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const store = storeAt(`http://127.0.0.1:${(server.address() as { port: number }).port}`, options);
  try {
    await use(store);
  } finally {
    await store.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** An HTTP origin answering each request with the next scripted status (and body), recording the methods. */
function scripted(answers: { status: number; body?: string }[], methods: string[]): Server {
  const listener: RequestListener = (request, response) => {
    methods.push(request.method ?? '');
    const answer = answers.shift() ?? { status: 500 };
    response.statusCode = answer.status;
    response.end(answer.body);
  };
  return createHttpServer(listener);
}

describe('S3ObjectStore against servers that fail or differ', () => {
  it('fails its probe, and every call, readably when nothing listens', async () => {
    // Listen, then stop listening: the port is free, so connections to it are refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const store = storeAt(endpoint);
    try {
      await expect(store.probe.check()).rejects.toThrow(`S3 bucket "${BUCKET}" at ${endpoint}: connect ECONNREFUSED`);
      await expect(store.exists('images/ab/cd.webp')).rejects.toThrow(/ECONNREFUSED/);
      await expect(store.get('images/ab/cd.webp')).rejects.toThrow(/ECONNREFUSED/);
      await expect(store.ensureBucket()).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await store.close();
    }
  });

  it('gives up on a server that accepts the connection and never answers', async () => {
    const silent = createServer(() => undefined);
    await withEndpoint(
      silent,
      async (store) => {
        await expect(store.get('images/ab/cd.webp')).rejects.toMatchObject({ name: 'TimeoutError' });
      },
      { requestTimeoutMs: 100 },
    );
  });

  it('reads an object that some other tool stored without a content type as octet-stream', async () => {
    const methods: string[] = [];
    await withEndpoint(scripted([{ status: 200, body: '\u0001\u0002\u0003' }], methods), async (store) => {
      const stored = await store.get('images/ab/cd.bin');
      expect(stored?.contentType).toBe('application/octet-stream');
      expect([...stored!.bytes]).toEqual([1, 2, 3]);
    });
    expect(methods).toEqual(['GET']);
  });

  it('accepts a bucket that another caller created between its check and its create', async () => {
    // Scripted, so the race is certain: HEAD says missing, CREATE says taken, HEAD then finds it.
    const taken = '<Error><Code>BucketAlreadyOwnedByYou</Code><Message>Your previous request succeeded.</Message></Error>';
    const methods: string[] = [];
    const server = scripted([{ status: 404 }, { status: 409, body: taken }, { status: 200 }], methods);
    await withEndpoint(server, (store) => store.ensureBucket());
    expect(methods).toEqual(['HEAD', 'PUT', 'HEAD']);
  });
});

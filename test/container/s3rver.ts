import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The slice of s3rver 3.7's untyped CommonJS API used here (see test/support/s3-server.ts).
type S3rverClass = new (options: { address: string; port: number; directory: string; silent: boolean; vhostBuckets: boolean }) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

/**
 * s3rver on a free port of 127.0.0.1 with no bucket: the stack's `bucket` one-shot creates it.
 * (test/support/s3-server.ts creates its bucket itself, which would hide a broken one-shot.)
 */
export async function startS3rver(): Promise<{ port: number; close(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'catalog-container-s3-'));
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, vhostBuckets: false });
  const { port } = await server.run();
  return {
    port,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A port of 127.0.0.1 nothing listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

import type { ApiDeps } from '../../application/index.js';
import { createRouter } from './create-router.js';
import { imageOperations as op } from './operations/image-operations.js';
import { ProblemError } from './problem.js';

const SAFE_KEY = /^[a-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*\.[a-z0-9]{1,5}$/;

/**
 * GET /files/<key>: objects of the embedded store (compressed images, uploaded originals).
 * Keys are content hashes, so responses never change and may be cached forever.
 */
export function filesRoutes(deps: Pick<ApiDeps, 'objects'>) {
  const router = createRouter();
  // Registered for the document; served by the wildcard below because keys contain slashes.
  router.openAPIRegistry.registerPath(op.file);
  router.get('/files/*', async (c) => {
    const key = c.req.path.slice('/files/'.length);
    // Only keys this service writes (content hashes under a folder); anything else, traversal
    // attempts included, is simply not there. Storage errors still surface as 500s.
    const stored = SAFE_KEY.test(key) ? await deps.objects.get(key) : null;
    if (!stored) throw new ProblemError('route.not_found', `No file ${key.slice(0, 120)}.`);
    // Stores hand back plain ArrayBuffer-backed bytes; the cast only narrows the type, no copy.
    return c.body(stored.bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': stored.contentType,
      'Content-Length': String(stored.bytes.byteLength),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  });
  return router;
}

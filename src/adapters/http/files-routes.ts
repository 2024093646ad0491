import type { ApiDeps } from '../../application/index.js';
import { createRouter } from './create-router.js';
import { imageOperations as op } from './operations/image-operations.js';
import { ProblemError } from './problem.js';

// Exactly the keys this service writes: a content hash under one of its two folders. Anything
// else, traversal attempts and names too long for a file system included, is simply not there.
const SAFE_KEY = /^(?:images|originals)\/[0-9a-f]{64}\.[a-z0-9]{1,5}$/;

/** The key of a /files path: its rest, with `%2F` (a client percent-encoding the key) read as `/`. */
function keyOf(path: string): string {
  const rest = path.slice('/files/'.length);
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/**
 * GET /files/<key>: objects of the embedded store (compressed images, uploaded originals),
 * streamed. Keys are content hashes, so responses never change and may be cached forever. The
 * bytes are whatever was uploaded after valid magic bytes, so they are served as the sniffed image
 * type only, never sniffed again by the browser, and sandboxed: served from the API's own origin,
 * they must not be able to run as a page there.
 */
export function filesRoutes(deps: Pick<ApiDeps, 'objects'>) {
  const router = createRouter();
  // Registered for the document; served by the wildcard below because keys contain slashes.
  router.openAPIRegistry.registerPath(op.file);
  router.get('/files/*', async (c) => {
    const key = keyOf(c.req.path);
    const stored = SAFE_KEY.test(key) ? await deps.objects.read(key) : null;
    if (!stored) throw new ProblemError('route.not_found', `No file ${key.slice(0, 120)}.`);
    const imageType = stored.contentType.startsWith('image/') ? stored.contentType : 'application/octet-stream';
    return c.body(stored.body, 200, {
      'Content-Type': imageType,
      'Content-Length': String(stored.size),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
  });
  return router;
}

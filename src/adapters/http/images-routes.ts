import { tmpdir } from 'node:os';
import { uploadImage, type ApiDeps } from '../../application/index.js';
import { actorOf } from './authentication.js';
import { createRouter } from './create-router.js';
import { multipartUpload } from './multipart-upload.js';
import { UPLOAD_ENVELOPE_BYTES } from './upload-limits.js';
import { imageOperations as op, UPLOAD_ACCESS } from './operations/image-operations.js';
import { pathId } from './path-id.js';
import { ProblemError, unwrap } from './problem.js';
import { Slots } from './slots.js';

export interface ImagesRoutesOptions {
  readonly deps: Pick<ApiDeps, 'products' | 'objects' | 'references' | 'cache' | 'lifecycle'>;
  readonly uploadMaxBytes: number;
  /** Uploads received at once; the next waits briefly, then gets 503 service.busy (default 4). */
  readonly uploadConcurrency?: number | undefined;
  /** Where uploads are spooled while they are received (the system's temporary directory by default). */
  readonly uploadTmpDir?: string | undefined;
  /** How long an upload waits for a free slot before the service says it is busy (default 2 s). */
  readonly uploadSlotWaitMs?: number | undefined;
}

/** Parts an upload envelope may have: the file and a few form fields a browser adds. */
const MAX_PARTS = 10;

/** POST /products/:id/images: an uploaded image, processed like a URL image. */
export function imagesRoutes({ deps, uploadMaxBytes, uploadConcurrency, uploadTmpDir, uploadSlotWaitMs }: ImagesRoutesOptions) {
  const router = createRouter();
  const slots = new Slots(uploadConcurrency ?? 4);
  const tmpDir = uploadTmpDir ?? tmpdir();
  // Documented from the route definition, but parsed here: the body is streamed, after the
  // product is known, never buffered whole.
  router.openAPIRegistry.registerPath(op.upload);
  // The key is checked first: a request without one is answered before anything else is looked at.
  return router.post('/products/:id/images', UPLOAD_ACCESS.guard, async (c) => {
    const id = pathId(c.req.param('id'), 'product');
    if (!/^multipart\/form-data\s*;/i.test(c.req.header('content-type') ?? '')) {
      throw new ProblemError('request.unsupported_media_type', 'Send the image as multipart/form-data with a field named file.');
    }
    const release = await slots.acquire(uploadSlotWaitMs ?? 2_000);
    if (!release) {
      c.header('Retry-After', '1');
      throw new ProblemError('service.busy', 'Too many uploads are being received; try again in a moment.');
    }
    const source = multipartUpload(c.req.raw, { tmpDir, maxParts: MAX_PARTS, envelopeBytes: UPLOAD_ENVELOPE_BYTES });
    try {
      const { image, added } = unwrap(await uploadImage(deps, id, source, { maxBytes: uploadMaxBytes, requestId: c.var.requestId, traceparent: c.var.traceparent, actor: actorOf(c) }));
      return c.json({ ...image }, added ? 202 : 200, { Location: `/products/${id}` });
    } finally {
      release();
      await source.dispose();
    }
  });
}

import { uploadImage, type ApiDeps } from '../../application/index.js';
import { createRouter } from './create-router.js';
import { imageOperations as op } from './operations/image-operations.js';
import { pathId } from './path-id.js';
import { ProblemError, unwrap } from './problem.js';

export interface ImagesRoutesOptions {
  readonly deps: Pick<ApiDeps, 'products' | 'objects' | 'references' | 'cache' | 'lifecycle'>;
  readonly uploadMaxBytes: number;
}

async function fileField(request: Request): Promise<Uint8Array> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new ProblemError('request.unsupported_media_type', 'Send the image as multipart/form-data with a field named file.');
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new ProblemError('validation.failed', 'The multipart body could not be read.', [{ path: 'file', message: 'is required' }]);
  }
  const file = form.get('file');
  if (!file || typeof file === 'string') {
    throw new ProblemError('validation.failed', 'The request has invalid fields.', [{ path: 'file', message: 'must be a file' }]);
  }
  return new Uint8Array(await file.arrayBuffer());
}

/** POST /products/:id/images: an uploaded image, processed like a URL image. */
export function imagesRoutes({ deps, uploadMaxBytes }: ImagesRoutesOptions) {
  const router = createRouter();
  // Documented from the route definition, but parsed here: the library's form validator would
  // buffer the body a second time and word its errors differently from ours.
  router.openAPIRegistry.registerPath(op.upload);
  return router.post('/products/:id/images', async (c) => {
    const id = pathId(c.req.param('id'), 'product');
    const bytes = await fileField(c.req.raw);
    const image = unwrap(await uploadImage(deps, id, bytes, { maxBytes: uploadMaxBytes, requestId: c.var.requestId }));
    return c.json({ ...image }, 202, { Location: `/products/${id}` });
  });
}

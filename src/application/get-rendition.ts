import { chooseRendition, domainError, err, ok, type DomainError, type Rendition, type Result } from '../domain/index.js';
import type { ProductRepo } from './ports/product-repo.js';

/**
 * The stored rendition that serves `width` best for a client accepting `accept` (see
 * chooseRendition). Only renditions the worker made are ever chosen: nothing is computed here.
 * An image that is not done (or has no renditions) is `image.not_ready`, its status in the message.
 */
export async function getRendition(
  deps: { products: Pick<ProductRepo, 'findImage'> },
  imageId: number,
  width: number | undefined,
  accept: string | undefined,
): Promise<Result<Rendition, DomainError>> {
  const image = await deps.products.findImage(imageId);
  if (!image) return err(domainError('image.not_found', `No image with id ${imageId}.`));
  const rendition = image.status === 'done' ? chooseRendition(image.renditions, width, accept) : null;
  if (!rendition) return err(domainError('image.not_ready', `Image ${imageId} is ${image.status}: its renditions exist once it is done.`));
  return ok(rendition);
}

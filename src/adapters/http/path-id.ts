import { parseId } from '../../domain/index.js';
import { ProblemError } from './problem.js';

const NOT_FOUND = {
  product: { code: 'product.not_found', noun: 'Product' },
  user: { code: 'user.not_found', noun: 'User' },
  image: { code: 'image.not_found', noun: 'Image' },
} as const;

/**
 * The id in a path segment. Text that cannot be an id (`abc`, a 20-digit number) gets the same
 * 404 as an id nobody has: either way there is no such resource, and it must never be a 500.
 */
export function pathId(text: string, resource: keyof typeof NOT_FOUND): number {
  const id = parseId(text);
  if (id !== null) return id;
  const { code, noun } = NOT_FOUND[resource];
  throw new ProblemError(code, `${noun} ${text.slice(0, 40)} does not exist.`);
}

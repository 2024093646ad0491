import type { FieldError } from '../../domain/index.js';
import type { ZodError } from 'zod';
import { ProblemError } from './problem.js';

/** `product_images[2]`, `a.b`: the path style of the domain's FieldError. Root is ''. */
export const joinPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (joined, key) => (typeof key === 'number' ? `${joined}[${key}]` : joined ? `${joined}.${String(key)}` : String(key)),
    '',
  );

/** One FieldError per zod issue; an unknown key becomes an error at that key's own path. */
export function fieldErrorsOf(error: ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: 'is not an accepted field' }))
      : [{ path: joinPath(issue.path), message: issue.message }],
  );
}

/** The OpenAPIHono default hook: a failed zod validation is a 400 validation.failed problem. */
export function validationHook(result: { success: true } | { success: false; error: ZodError }): void {
  if (!result.success) {
    throw new ProblemError('validation.failed', 'The request has invalid fields.', fieldErrorsOf(result.error));
  }
}

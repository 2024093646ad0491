import type { FieldError } from './errors.js';
import { LIMITS } from './limits.js';
import { priceProblem } from './price.js';
import type { NewUser } from './user.js';

type Check = (value: unknown, path: string) => FieldError[];

const text =
  (min: number, max: number): Check =>
  (value, path) => {
    if (typeof value !== 'string') return [{ path, message: 'must be a string' }];
    const length = value.trim().length;
    if (length < min) return [{ path, message: min === 1 ? 'must not be empty' : `must have at least ${min} characters` }];
    if (value.length > max) return [{ path, message: `must have at most ${max} characters` }];
    return [];
  };

/** True for an absolute http(s) URL with a host, within the length bound. */
export function isImageUrl(value: string): boolean {
  if (value.length > LIMITS.imageUrlMaxLength) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const imageUrls: Check = (value, path) => {
  if (!Array.isArray(value)) return [{ path, message: 'must be an array of URLs' }];
  if (value.length > LIMITS.imagesMax) {
    return [{ path, message: `must have at most ${LIMITS.imagesMax} items` }];
  }
  const seen = new Set<string>();
  return value.flatMap((item: unknown, index): FieldError[] => {
    const at = `${path}[${index}]`;
    if (typeof item !== 'string') return [{ path: at, message: 'must be a string' }];
    if (item.length > LIMITS.imageUrlMaxLength) {
      return [{ path: at, message: `must have at most ${LIMITS.imageUrlMaxLength} characters` }];
    }
    if (!isImageUrl(item)) return [{ path: at, message: 'must be an absolute http or https URL' }];
    if (seen.has(item)) return [{ path: at, message: 'is listed twice' }];
    seen.add(item);
    return [];
  });
};

const positiveId: Check = (value, path) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? []
    : [{ path, message: 'must be a positive integer' }];

const price: Check = (value, path) => {
  const problem = priceProblem(value, path);
  return problem ? [problem] : [];
};

const PRODUCT_CHECKS: Record<string, Check> = {
  product_name: text(1, LIMITS.nameMaxLength),
  product_description: text(0, LIMITS.descriptionMaxLength),
  product_images: imageUrls,
  product_price: price,
};

function run(input: Record<string, unknown>, checks: Record<string, Check>, required: boolean) {
  return Object.entries(checks).flatMap(([field, check]) => {
    if (input[field] === undefined) return required ? [{ path: field, message: 'is required' }] : [];
    return check(input[field], field);
  });
}

/** Problems with a full product (create, PUT); empty when valid. */
export const productProblems = (input: object): FieldError[] =>
  run(input as Record<string, unknown>, PRODUCT_CHECKS, true);

/** Problems with the fields a PATCH gives; absent fields are fine. */
export const productChangeProblems = (input: object): FieldError[] =>
  run(input as Record<string, unknown>, PRODUCT_CHECKS, false);

/** Problems with the owner id of a new product. */
export const userIdProblems = (value: unknown, path = 'user_id'): FieldError[] => positiveId(value, path);

// Deliberately loose: one @, something on each side, a dot in the domain. Deliverability is
// for a confirmation mail to prove, not a regex.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Problems with a new user; empty when valid. */
export function userProblems(input: Partial<NewUser>): FieldError[] {
  const problems = run(input, { name: text(1, LIMITS.userNameMaxLength), email: text(3, LIMITS.emailMaxLength) }, true);
  if (problems.some((p) => p.path === 'email') || typeof input.email !== 'string') return problems;
  return EMAIL.test(input.email.trim()) ? problems : [...problems, { path: 'email', message: 'must be an email address' }];
}

/** Email addresses compare case-insensitively and without surrounding space. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** A positive integer id from path or query text, or null. */
export function parseId(text: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

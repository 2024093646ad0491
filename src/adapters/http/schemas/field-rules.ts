import type { FieldError } from '../../../domain/index.js';
import type { RefinementCtx } from 'zod';

/** zod's `error` option worded like the domain: `is required` when absent, else `must be <what>`. */
export const expected = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

/**
 * A superRefine running a domain check, so one rule (and its message) serves both the use case
 * and the schema.
 */
export const domainRule =
  <T>(check: (value: T) => FieldError | null) =>
  (value: T, ctx: RefinementCtx<T>): void => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
  };

// zod 4 runs length checks on any input with a `length`, even after a type error: the `when`
// guards keep a wrong type to its one message.

/** String length bound with the domain's wording; aborts so a too-long value gets one message. */
export const maxChars = (max: number) => ({
  error: `must have at most ${max} characters`,
  abort: true,
  when: (payload: { value: unknown }) => typeof payload.value === 'string',
});

/** Array length bound with the domain's wording. */
export const maxItems = (max: number) => ({
  error: `must have at most ${max} items`,
  when: (payload: { value: unknown }) => Array.isArray(payload.value),
});

export const notBlank = (value: string): boolean => value.trim().length > 0;

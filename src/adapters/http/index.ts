export * from './create-http-app.js';
export * from './ops-app.js';
export type * from './http-env.js';
export type { Access } from './authentication.js';
export { PROBLEMS, ProblemError, type ProblemCode } from './problem.js';
export { REDACTED_PATHS, redactedError } from './log-redaction.js';

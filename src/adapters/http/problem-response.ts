import type { Context } from 'hono';
import type { HttpEnv } from './http-env.js';
import { PROBLEMS, type ProblemError } from './problem.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Field errors listed in one problem at most: a body of 100,000 unknown keys gets a short answer. */
export const MAX_FIELD_ERRORS = 50;
const MAX_PATH_CHARS = 200;

/** Renders a problem as RFC 9457 JSON; `type` is a relative URI reference per code. */
export function problemResponse(c: Context<HttpEnv>, problem: ProblemError): Response {
  const all = problem.errors;
  // Paths can quote a client's key names: bounded too, so an answer never echoes a megabyte back.
  const errors = all?.slice(0, MAX_FIELD_ERRORS).map((error) =>
    error.path.length > MAX_PATH_CHARS ? { ...error, path: `${error.path.slice(0, MAX_PATH_CHARS)}…` } : error,
  );
  const omitted = all && errors ? all.length - errors.length : 0;
  const body = {
    type: `/problems/${problem.code}`,
    title: PROBLEMS[problem.code].title,
    status: problem.status,
    detail: omitted > 0 ? `${problem.detail} The first ${MAX_FIELD_ERRORS} of ${all!.length} problems are listed.` : problem.detail,
    code: problem.code,
    // The path as the client sent it: Hono's c.req.path is decoded, so `%2e%2e%2f` would come back as `../`.
    instance: new URL(c.req.url).pathname,
    request_id: c.var.requestId,
    ...(errors && { errors }),
    ...problem.extensions,
  };
  return c.body(JSON.stringify(body), problem.status, { 'Content-Type': PROBLEM_MEDIA_TYPE });
}

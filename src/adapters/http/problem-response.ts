import type { Context } from 'hono';
import type { HttpEnv } from './http-env.js';
import { PROBLEMS, type ProblemError } from './problem.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Renders a problem as RFC 9457 JSON; `type` is a relative URI reference per code. */
export function problemResponse(c: Context<HttpEnv>, problem: ProblemError): Response {
  const body = {
    type: `/problems/${problem.code}`,
    title: PROBLEMS[problem.code].title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    instance: c.req.path,
    request_id: c.var.requestId,
    ...(problem.errors && { errors: problem.errors }),
    ...problem.extensions,
  };
  return c.body(JSON.stringify(body), problem.status, { 'Content-Type': PROBLEM_MEDIA_TYPE });
}

import { z } from '@hono/zod-openapi';
import type { ZodRawShape, ZodType } from 'zod';
import { JSON_CONTENT_TYPE_RULE } from '../json-body.js';
import { PROBLEM_MEDIA_TYPE } from '../problem-response.js';
import { problemSchemaFor, type ProblemStatus } from '../schemas/problem-schema.js';

const REQUEST_ID_HEADER = {
  'X-Request-Id': z.string().openapi({ description: 'The inbound X-Request-Id when it matches [A-Za-z0-9._:-]{1,128}, else a generated UUID.' }),
};

/** Request headers every operation accepts. Names are lower-case: Hono validates them that way. */
export const RequestHeaders = z.object({
  'x-request-id': z.string().optional().openapi({
    description: 'Correlation id, echoed in the response and logged; ignored unless it matches [A-Za-z0-9._:-]{1,128}.',
  }),
});

/** Response headers of every response, plus `extra`. */
export const responseHeaders = (extra: ZodRawShape = {}) => z.object({ ...REQUEST_ID_HEADER, ...extra });

/** A JSON success response. */
export const jsonResponse = <T extends ZodType>(schema: T, description: string, headers: ZodRawShape = {}) => ({
  description,
  headers: responseHeaders(headers),
  content: { 'application/json': { schema } },
});

// Built once per status: each is a named component of the document.
const schemas = new Map<ProblemStatus, ZodType>();
function schemaFor(status: ProblemStatus): ZodType {
  const known = schemas.get(status);
  if (known) return known;
  const schema = problemSchemaFor(status);
  schemas.set(status, schema);
  return schema;
}

/** A problem+json response whose body names `status`; `schema` when the problem has more members. */
export const problemResponse = (status: ProblemStatus, description: string, schema: ZodType = schemaFor(status)) => ({
  description,
  headers: responseHeaders(),
  content: { [PROBLEM_MEDIA_TYPE]: { schema } },
});

/** Problem responses for the given statuses, plus the 500 every operation can answer. */
export const problemResponses = <const D extends Partial<Record<Exclude<ProblemStatus, 500>, string>>>(descriptions: D) => ({
  ...(Object.fromEntries(
    Object.entries(descriptions).map(([status, text]) => [status, problemResponse(Number(status) as ProblemStatus, text as string)]),
  ) as { [S in keyof D]: ReturnType<typeof problemResponse> }),
  500: problemResponse(500, 'internal: an unexpected failure; the body never carries its details, the log does.'),
});

/** The problems of any operation with a JSON body. */
export const BODY_PROBLEMS = {
  400: 'validation.failed (with errors[]) or request.malformed_json',
  413: 'request.too_large: the body is over the limit (1 MiB by default)',
  415: `request.unsupported_media_type: the Content-Type must be ${JSON_CONTENT_TYPE_RULE}`,
} as const;

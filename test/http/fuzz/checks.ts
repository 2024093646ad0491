import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Operation } from './document.js';
import type { FuzzRequest } from './requests.js';
import type { Schema } from './values.js';

/** A response as received: status, headers, and the body's bytes. */
export interface Received {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats.default(ajv);
// The document's own keyword for prices: at most N fraction digits in the shortest decimal form.
ajv.addKeyword({
  keyword: 'x-fraction-digits',
  type: 'number',
  schemaType: 'number',
  validate: (digits: number, value: number) => (String(value).split('.')[1]?.length ?? 0) <= digits && !/e/i.test(String(value)),
});

const compiled = new WeakMap<Schema, ValidateFunction>();
const validatorOf = (schema: Schema) => {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate;
};

const mediaType = (header: string | null) => header?.split(';')[0]?.trim().toLowerCase() ?? '';
const matches = (declared: string, actual: string) => declared === actual || (declared.endsWith('/*') && actual.startsWith(declared.slice(0, -1)));
// The path as the client sends it: WHATWG URL parsing resolves `..` and `.` segments first.
const pathOf = (target: string) => new URL(target, 'http://127.0.0.1').pathname;

/**
 * What is wrong with `received` as the answer to `request` under `operation`'s part of the
 * document; empty when nothing is. A 4xx must be problem+json and every body must validate.
 */
export function violations(operation: Operation, request: FuzzRequest, received: Received): string[] {
  const found: string[] = [];
  const { status } = received;
  if (status >= 500) found.push(`answered ${status}`);
  const declared = operation.responses[String(status)] ?? operation.responses.default;
  if (!declared) {
    found.push(`status ${status} is not declared (declared: ${Object.keys(operation.responses).join(', ')})`);
    return found;
  }
  for (const [name, header] of Object.entries(declared.headers ?? {})) {
    if (header.required && !received.headers.has(name)) found.push(`required header ${name} is missing`);
  }
  if (request.valid && [400, 413, 415].includes(status)) found.push(`a request within the document's rules got ${status}`);
  const actual = mediaType(received.headers.get('content-type'));
  const content = declared.content ?? {};
  if (status >= 400 && actual !== 'application/problem+json') found.push(`a ${status} answered ${actual || 'no content type'}, not application/problem+json`);
  if (!Object.keys(content).length) {
    if (received.body.length) found.push(`status ${status} declares no body but got ${received.body.length} bytes`);
    return found;
  }
  const entry = Object.entries(content).find(([type]) => matches(type, actual));
  if (!entry) {
    found.push(`content type ${actual || '(none)'} is not declared for ${status} (declared: ${Object.keys(content).join(', ')})`);
    return found;
  }
  const [type, { schema }] = entry;
  if (type === 'application/x-ndjson') {
    // One JSON value a line (POST /products/bulk's streamed answer).
    const lines = received.body.toString('utf8').split('\n').filter((line) => line !== '');
    if (lines.some((line) => !isJson(line))) found.push('a line of the application/x-ndjson body is not JSON');
    return found;
  }
  if (!type.endsWith('json') || !schema) return found;
  let body: unknown;
  try {
    body = JSON.parse(received.body.toString('utf8'));
  } catch {
    found.push(`the ${type} body is not JSON`);
    return found;
  }
  const validate = validatorOf(schema);
  if (!validate(body)) found.push(...(validate.errors ?? []).slice(0, 5).map((error) => `body${error.instancePath} ${error.message}`));
  if (type === 'application/problem+json' && body && typeof body === 'object') {
    const problem = body as { status?: unknown; instance?: unknown };
    if (problem.status !== status) found.push(`problem status ${String(problem.status)} is not the response's ${status}`);
    if (problem.instance !== pathOf(request.target)) found.push(`problem instance ${JSON.stringify(problem.instance)} is not the path sent, ${JSON.stringify(pathOf(request.target))}`);
  }
  return found;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

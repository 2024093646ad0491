import { z } from '@hono/zod-openapi';
import { recordSchema, type FieldValues, type JsonSchema, type RecordSpec, type Rules } from '../../../domain/index.js';

type Metadata = NonNullable<Parameters<z.ZodUnknown['openapi']>[1]>;

/** A domain rule's JSON Schema as zod-to-openapi metadata (which types its arrays as mutable). */
export const documented = (schema: JsonSchema): Metadata => schema as Metadata;

/**
 * A request body that the route passes on untouched: the use case checks it against `spec`,
 * and the OpenAPI document shows `spec`'s rules as the component `name`.
 */
export const bodySchema = (name: string, spec: RecordSpec) => z.unknown().openapi(name, documented(recordSchema(spec)));

// A response states each field's type; bounds are for the requests that set it.
function wireType(schema: JsonSchema): z.ZodType {
  switch (schema.type) {
    case 'string':
      return z.string();
    case 'number':
      return z.number();
    case 'integer':
      return z.number().int();
    case 'array':
      return z.array(wireType(schema.items ?? {}));
    default:
      throw new Error(`No response type for a ${String(schema.type)} field`);
  }
}

/** The zod types of the values `rules` accept, for a response schema. */
export const wireShape = <R extends Rules>(rules: R) =>
  Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, wireType(rule.schema)])) as {
    [K in keyof R]: z.ZodType<FieldValues<R>[K]>;
  };

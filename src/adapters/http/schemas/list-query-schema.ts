import { z } from '@hono/zod-openapi';
import { LIST_QUERY, type JsonSchema, type RecordSpec } from '../../../domain/index.js';
import { documented } from './rule-schemas.js';

// Query values are text; reading numbers out of it is HTTP's part. Plain decimal notation only:
// "1e3", "0x10" and "" are not numbers. An integer is at most 20 digits, or, when it has a
// maximum, one digit longer than the maximum (a leading zero). Text that is not a number is
// passed on as it is, for listProducts to refuse with the field's own message.
const DECIMAL = /^-?\d+(\.\d+)?$/;
const digits = (maximum: number | undefined) =>
  new RegExp(`^\\d{1,${maximum === undefined ? 20 : String(maximum).length + 1}}$`);

function param(schema: JsonSchema, required: boolean) {
  const number = schema.type === 'number' ? DECIMAL : schema.type === 'integer' ? digits(schema.maximum) : undefined;
  return (
    z
      .unknown()
      .transform((value) => (number && typeof value === 'string' && number.test(value) ? Number(value) : value))
      // Absence is listProducts' to report too, so only the document says "required".
      .optional()
      .openapi({ ...documented(schema), ...(required && { param: { required: true } }) })
  );
}

/**
 * A list's query, one parameter per field of its spec. It refuses nothing: the list's use case
 * checks the values it reads.
 */
export const listQuerySchema = (spec: RecordSpec) =>
  z.object(
    Object.fromEntries(
      Object.entries(spec.fields).map(([name, rule]) => [name, param(rule.schema, (spec.required as readonly string[]).includes(name))]),
    ),
  );

/** GET /products query: every filter of LIST_QUERY, aliases included; listProducts checks it. */
export const ListProductsQuerySchema = listQuerySchema(LIST_QUERY);

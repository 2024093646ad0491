import { z } from '@hono/zod-openapi';
import { LIMITS, PRICE_MAX, PRICE_MIN, priceProblem, userIdProblems } from '../../../domain/index.js';
import { domainRule, expected, maxChars } from './field-rules.js';

// Query values are text: accept plain decimal notation only ("1e3", "0x10" and "" are not
// prices), then apply the domain's number rules to the parsed value.
const numberText = (what: string, pattern: RegExp) =>
  z.string(expected(what)).regex(pattern, `must be ${what}`).transform(Number);

const priceBound = (description: string) =>
  numberText('a number', /^-?\d+(\.\d+)?$/)
    .pipe(z.number().superRefine(domainRule((price: number) => priceProblem(price))))
    .optional()
    .openapi({ type: 'number', minimum: PRICE_MIN, maximum: PRICE_MAX, multipleOf: 0.01, description });

const ALIASES = { min_price: 'price_min', max_price: 'price_max' } as const;

/**
 * GET /products query. `min_price`/`max_price` are aliases of `price_min`/`price_max`; giving
 * both names with different values is a 400. The output uses the canonical names only.
 */
export const ListProductsQuerySchema = z
  .object({
    user_id: numberText('a positive integer', /^\d{1,20}$/)
      .pipe(z.number().superRefine(domainRule((id: number) => userIdProblems(id)[0] ?? null)))
      .openapi({ type: 'integer', minimum: 1, description: 'The owner whose products to list (required).', example: 1 }),
    price_min: priceBound('Lowest price, inclusive.'),
    price_max: priceBound('Highest price, inclusive; must not be below price_min.'),
    min_price: priceBound('Alias of price_min.'),
    max_price: priceBound('Alias of price_max.'),
    product_name: z
      .string(expected('a string'))
      .max(LIMITS.nameMaxLength, maxChars(LIMITS.nameMaxLength))
      .optional()
      .openapi({ description: 'Case-insensitive substring of product_name.' }),
    limit: numberText('an integer', /^\d{1,4}$/)
      .pipe(
        z
          .number()
          .refine((n) => n >= 1 && n <= LIMITS.listMaxLimit, `must be an integer from 1 to ${LIMITS.listMaxLimit}`),
      )
      .optional()
      .openapi({ type: 'integer', minimum: 1, maximum: LIMITS.listMaxLimit, default: LIMITS.listDefaultLimit }),
    cursor: z
      .string(expected('a string'))
      .optional()
      .openapi({ description: 'Opaque; copy it from the Link header of the previous page.' }),
  })
  .superRefine((query, ctx) => {
    for (const [alias, canonical] of Object.entries(ALIASES)) {
      const [a, b] = [query[alias as keyof typeof ALIASES], query[canonical]];
      if (a !== undefined && b !== undefined && a !== b) {
        ctx.addIssue({ code: 'custom', path: [alias], message: `conflicts with ${canonical}` });
      }
    }
  })
  .transform(({ min_price, max_price, ...query }) => ({
    ...query,
    price_min: query.price_min ?? min_price,
    price_max: query.price_max ?? max_price,
  }));

export type ListProductsQuery = z.output<typeof ListProductsQuerySchema>;

import { codePointLength, text, token } from './field-rule.js';
import { LIMITS } from './limits.js';
import { positiveId, price } from './number-rules.js';
import { isHttpUrl, urlList } from './url-list.js';
import { recordSpec } from './validation.js';

/**
 * The fields a client sets on a product, in the order they are checked, documented and shown.
 * A plain new field is one line here (plus its column); `ProductFields` and the HTTP schemas
 * follow from it.
 */
export const PRODUCT_FIELDS = {
  product_name: text({ minLength: 1, maxLength: 200 }, { example: 'Walnut desk' }),
  product_description: text({ maxLength: 5000 }, { example: 'Solid walnut, 140 × 70 cm.' }),
  product_images: urlList(
    { maxItems: LIMITS.imagesMax, itemMaxLength: 2048 },
    {
      description: 'Source images, in display order; each is compressed asynchronously.',
      item: { description: 'An absolute http or https URL.', example: 'https://images.example/desk.jpg' },
    },
  ),
  product_price: price({ example: 249.99 }),
};

/** The owner of a new product; set once, never changed. */
export const PRODUCT_OWNER = positiveId({ description: 'The owner; must exist (else 422 user.not_found).', example: 1 });

/**
 * The owner as a change may restate it: a client sends back what it read. Naming another owner
 * is refused (409 product.owner_mismatch), since the owner never changes.
 */
export const PRODUCT_OWNER_AS_READ = positiveId({
  description: "Optional: the product's owner, as GET returned it. Any other user is refused with 409 product.owner_mismatch; the owner never changes.",
  example: 1,
});

/** What GET returns besides the owner and the fields: a change may carry them back, and they are ignored. */
export const PRODUCT_OUTPUT_ONLY = ['id', 'version', 'compressed_product_images', 'images', 'created_at', 'updated_at'] as const;

/** The names of the fields a client sets. */
const FIELD_NAMES = Object.keys(PRODUCT_FIELDS) as (keyof typeof PRODUCT_FIELDS)[];

/** A new product: the owner and every field. */
export const NEW_PRODUCT = recordSpec({ user_id: PRODUCT_OWNER, ...PRODUCT_FIELDS });

/** A replacement (PUT): every field; the owner and the output-only fields may come along. */
export const PRODUCT_REPLACEMENT = recordSpec(
  { user_id: PRODUCT_OWNER_AS_READ, ...PRODUCT_FIELDS },
  { required: FIELD_NAMES, ignored: PRODUCT_OUTPUT_ONLY },
);

/** A change (PATCH): at least one field; the owner and the output-only fields may come along. */
export const PRODUCT_CHANGES = recordSpec(
  { user_id: PRODUCT_OWNER_AS_READ, ...PRODUCT_FIELDS },
  { required: [], ignored: PRODUCT_OUTPUT_ONLY, nonEmpty: FIELD_NAMES },
);

/** The client's retry token for creating a product (the `Idempotency-Key` header). */
export const IDEMPOTENCY_KEY = token({ maxLength: 255, pattern: /^[\x21-\x7e]+$/ }, 'printable ASCII characters');

/** True for a URL `product_images` accepts: absolute http(s) with a host, within the length bound. */
export const isImageUrl = (value: string): boolean =>
  codePointLength(value) <= PRODUCT_FIELDS.product_images.bounds.itemMaxLength && isHttpUrl(value);

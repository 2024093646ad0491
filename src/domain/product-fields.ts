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

/** A new product: the owner and every field. */
export const NEW_PRODUCT = recordSpec({ user_id: PRODUCT_OWNER, ...PRODUCT_FIELDS });

/** A replacement (PUT): every field; the owner is not one of them. */
export const PRODUCT_REPLACEMENT = recordSpec(PRODUCT_FIELDS);

/** A change (PATCH): at least one field. */
export const PRODUCT_CHANGES = recordSpec(PRODUCT_FIELDS, { required: [], nonEmpty: true });

/** The client's retry token for creating a product (the `Idempotency-Key` header). */
export const IDEMPOTENCY_KEY = token({ maxLength: 255, pattern: /^[\x21-\x7e]+$/ }, 'printable ASCII characters');

/** True for a URL `product_images` accepts: absolute http(s) with a host, within the length bound. */
export const isImageUrl = (value: string): boolean =>
  codePointLength(value) <= PRODUCT_FIELDS.product_images.bounds.itemMaxLength && isHttpUrl(value);

/**
 * Bounds that code beyond the input rules relies on too. A field's own bounds live in its rule
 * (`PRODUCT_FIELDS`, `USER_FIELDS`, `LIST_QUERY`), which also documents them.
 */
export const LIMITS = {
  /** Also enforced by the repositories when an upload appends an image. */
  imagesMax: 10,
  listDefaultLimit: 50,
  listMaxLimit: 200,
} as const;

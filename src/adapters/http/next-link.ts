/** The filters a next-page URL repeats, in their canonical names. */
export interface ListFilters {
  readonly user_id: number;
  readonly price_min?: number | undefined;
  readonly price_max?: number | undefined;
  readonly product_name?: string | undefined;
  readonly limit?: number | undefined;
}

/**
 * `Link: <base/products?…&cursor=…>; rel="next"` (RFC 8288). `base` may carry a path prefix
 * (a proxy mounting the API under /catalog); the link keeps it.
 */
export function nextLink(base: string, filters: ListFilters, cursor: string): string {
  const url = new URL('products', base.endsWith('/') ? base : `${base}/`);
  for (const [name, value] of Object.entries({ ...filters, cursor })) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return `<${url.href}>; rel="next"`;
}

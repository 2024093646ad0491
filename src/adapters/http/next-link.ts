/** The filters a next-page URL repeats, in their canonical names; absent ones are left out. */
export type ListFilters = Readonly<Record<string, string | number | undefined>>;

/**
 * `Link: <base/path?…&cursor=…>; rel="next"` (RFC 8288), `path` the list's (`products`,
 * `webhooks`). `base` may carry a path prefix (a proxy mounting the API under /catalog); the link
 * keeps it. Without a configured base the link is relative (`</products?…>`, resolved against the
 * request URL as RFC 8288 says): the request's Host header is the client's to choose and must not
 * end up in what others follow.
 */
export function nextLink(base: string | undefined, path: string, filters: ListFilters, cursor: string): string {
  const url = new URL(path, base === undefined ? 'http://relative.invalid/' : base.endsWith('/') ? base : `${base}/`);
  for (const [name, value] of Object.entries({ ...filters, cursor })) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return `<${base === undefined ? `${url.pathname}${url.search}` : url.href}>; rel="next"`;
}

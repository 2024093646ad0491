// Keyset cursor: the id of the last product on the page, opaque to clients so the scheme can
// change without breaking them. btoa/atob are language globals on every supported runtime.

/** Encodes the id the next page starts after. */
export const encodeCursor = (afterId: number): string =>
  btoa(JSON.stringify({ after: afterId })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** The id a cursor points after, or null when the text is not a cursor we issued. */
export function decodeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  try {
    const parsed: unknown = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')));
    const after = (parsed as { after?: unknown } | null)?.after;
    return typeof after === 'number' && Number.isSafeInteger(after) && after > 0 ? after : null;
  } catch {
    return null;
  }
}

// Keyset cursor: the key (a product's id, a webhook's id) of the last item on the page, opaque to
// clients so the scheme can change without breaking them. btoa/atob are language globals on
// every supported runtime.

/** Whether a value decoded from a cursor is a key of the list it pages. */
export type CursorKey<K> = (value: unknown) => value is K;

/** A product's key: a positive safe integer. */
export const isPositiveId: CursorKey<number> = (value): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** Encodes the key the next page starts after. */
export const encodeCursor = (after: number | string): string =>
  btoa(JSON.stringify({ after })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * The key a cursor points after, or null when the text is not a cursor we issued for this list:
 * `isKey` says which keys it has (a product id unless told otherwise).
 */
export function decodeCursor(cursor: string): number | null;
export function decodeCursor<K>(cursor: string, isKey: CursorKey<K>): K | null;
export function decodeCursor(cursor: string, isKey: CursorKey<unknown> = isPositiveId): unknown {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  try {
    const parsed: unknown = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')));
    const after = (parsed as { after?: unknown } | null)?.after;
    return isKey(after) ? after : null;
  } catch {
    return null;
  }
}

/**
 * The Cache port's argument rule, for every adapter: versions are safe integers and TTLs positive
 * finite milliseconds. Anything else is a programming error, not a cache failure, so it throws
 * instead of failing open.
 */
export function checkCacheArguments(version: number, ttlMs?: number): void {
  if (!Number.isSafeInteger(version)) throw new RangeError(`cache version must be a safe integer, got ${version}`);
  if (ttlMs !== undefined && !(ttlMs > 0 && Number.isFinite(ttlMs))) {
    throw new RangeError(`cache ttlMs must be a positive number, got ${ttlMs}`);
  }
}

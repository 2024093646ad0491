import type { Redis } from 'ioredis';
import type { CacheEntry } from '../../application/ports/cache.js';
import type { Invalidation } from './pending-invalidations.js';

/*
 * Why a slow reader cannot undo an invalidation: every committed write raises the row's version
 * and then invalidates at that version, which deletes the entry and leaves a mark. A reader that
 * loaded the row before the write holds a lower version, and SET stores only at or above both the
 * mark and any entry, checked and written in one script, so whenever its SET runs (before the
 * invalidation: deleted by it; after: refused) the old value does not stay. The next reader loads
 * the committed version, equal to the mark, and may store it. Marks outlive the longest read.
 *
 * Key layout under a prefix P (one Redis database may hold several):
 *   P:epoch          the epoch E, an integer bumped after an outage (absent = 0)
 *   P:e<E>:<key>     the entry, "<version>:<value>", expiring after the caller's TTL
 *   P:m:<key>        the mark (tombstone), "<version>", expiring after tombstoneTtlMs
 * Entries live under the epoch, so bumping it retires all of them at once. Marks do not: a reader
 * that loaded before a write must stay refused even if the epoch moves on in between.
 * Each script reads the epoch itself, so every instance sees a bump on its very next command.
 * The scripts touch keys they do not declare, which a single Redis allows (not Redis Cluster).
 */

// A stored version is everything before the first colon of the entry; 32 bytes hold any safe integer.
const STORED_VERSION = `
local function storedVersion(entryKey)
  local head = redis.call('GETRANGE', entryKey, 0, 31)
  if head == '' then return nil end
  return string.match(head, '^[^:]*')
end`;

const GET = `
local epoch = redis.call('GET', KEYS[1]) or '0'
return redis.call('GET', ARGV[1] .. ':e' .. epoch .. ':' .. ARGV[2])`;

// ARGV: prefix, key, version, ttlMs, value. Stores when nothing newer is there: equal versions pass.
const SET = `${STORED_VERSION}
local epoch = redis.call('GET', KEYS[1]) or '0'
local version = tonumber(ARGV[3])
local mark = redis.call('GET', ARGV[1] .. ':m:' .. ARGV[2])
if mark and tonumber(mark) > version then return 0 end
local entryKey = ARGV[1] .. ':e' .. epoch .. ':' .. ARGV[2]
local stored = storedVersion(entryKey)
if stored and tonumber(stored) > version then return 0 end
redis.call('SET', entryKey, ARGV[3] .. ':' .. ARGV[5], 'PX', ARGV[4])
return 1`;

// ARGV: prefix, tombstoneTtlMs, bump ('1' increments the epoch first), then key, version pairs.
// Each mark lands at the highest of its version, the previous mark and the entry it replaces.
const INVALIDATE = `${STORED_VERSION}
local epoch
if ARGV[3] == '1' then epoch = redis.call('INCR', KEYS[1]) else epoch = redis.call('GET', KEYS[1]) or '0' end
for i = 4, #ARGV, 2 do
  local markKey = ARGV[1] .. ':m:' .. ARGV[i]
  local entryKey = ARGV[1] .. ':e' .. epoch .. ':' .. ARGV[i]
  local top = ARGV[i + 1]
  local mark = redis.call('GET', markKey)
  if mark and tonumber(mark) > tonumber(top) then top = mark end
  local stored = storedVersion(entryKey)
  if stored then
    if tonumber(stored) > tonumber(top) then top = stored end
    redis.call('DEL', entryKey)
  end
  redis.call('SET', markKey, top, 'PX', ARGV[2])
end
return epoch`;

/** The three atomic operations, bound to one client and prefix. */
export interface CacheScripts {
  get(key: string): Promise<string | null>;
  /** 1 when stored, 0 when refused. */
  set(key: string, value: string, version: number, ttlMs: number): Promise<number>;
  /** Writes the marks; with `bump`, increments the epoch first. */
  invalidate(marks: readonly Invalidation[], bump: boolean): Promise<unknown>;
}

type ScriptedRedis = Redis & {
  catalogCacheGet(epochKey: string, prefix: string, key: string): Promise<string | null>;
  catalogCacheSet(epochKey: string, ...args: string[]): Promise<number>;
  catalogCacheInvalidate(epochKey: string, ...args: string[]): Promise<unknown>;
};

/** Registers the scripts on `client` (ioredis sends EVALSHA, falling back to EVAL after a restart). */
export function defineCacheScripts(client: Redis, prefix: string, tombstoneTtlMs: number): CacheScripts {
  client.defineCommand('catalogCacheGet', { numberOfKeys: 1, lua: GET });
  client.defineCommand('catalogCacheSet', { numberOfKeys: 1, lua: SET });
  client.defineCommand('catalogCacheInvalidate', { numberOfKeys: 1, lua: INVALIDATE });
  const scripted = client as ScriptedRedis;
  const epochKey = `${prefix}:epoch`;
  return {
    get: (key) => scripted.catalogCacheGet(epochKey, prefix, key),
    set: (key, value, version, ttlMs) =>
      scripted.catalogCacheSet(epochKey, prefix, key, String(version), String(ttlMs), value),
    invalidate: (marks, bump) =>
      scripted.catalogCacheInvalidate(
        epochKey,
        prefix,
        String(tombstoneTtlMs),
        bump ? '1' : '0',
        ...marks.flatMap(([key, version]) => [key, String(version)]),
      ),
  };
}

/** Reads "<version>:<value>" back; null when nothing is stored. */
export function decodeEntry(stored: string | null): CacheEntry | null {
  if (stored === null) return null;
  const colon = stored.indexOf(':');
  return { version: Number(stored.slice(0, colon)), value: stored.slice(colon + 1) };
}

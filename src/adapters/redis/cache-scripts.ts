import type { Cluster, Redis } from 'ioredis';
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
 *   P:{<key>}:e      the entry, "<epoch>:<version>:<value>", expiring after the caller's TTL
 *   P:{<key>}:m      the mark (tombstone), "<version>", expiring after tombstoneTtlMs
 * The braces are a Redis Cluster hash tag: a key's entry and mark share a slot, so each script
 * touches one slot and declares every key it touches; entries of different keys spread over the
 * cluster. The epoch has a slot of its own and no script reads it: a get reads it beside the entry
 * (in parallel) and an entry stored under an older epoch counts as absent, so a bump retires every
 * entry at once. A set tags its entry with the epoch its instance last read; an older tag is
 * simply never served, and a set is refused where a newer epoch's entry is stored. Marks are not
 * tagged: a reader that loaded before a write stays refused whatever the epoch does. After an
 * outage the owed marks are written first and the epoch is bumped after them, so a slow reader's
 * set between the two lands under the old epoch and is never served.
 */

/** The Redis keys of one cache key under `prefix`. */
export const cacheKeys = (prefix: string, key: string) => ({
  epoch: `${prefix}:epoch`,
  entry: `${prefix}:{${key}}:e`,
  mark: `${prefix}:{${key}}:m`,
});

// A stored entry's head: epoch and version, everything before the second colon; 48 bytes hold both.
const STORED_HEAD = `
local function storedHead(entryKey)
  local head = redis.call('GETRANGE', entryKey, 0, 47)
  if head == '' then return nil end
  local epoch, version = string.match(head, '^(%d+):(%d+):')
  return tonumber(epoch), tonumber(version)
end`;

// KEYS: entry, mark. ARGV: epoch, version, ttlMs, value. Stores when nothing newer is there: equal versions pass.
const SET = `${STORED_HEAD}
local epoch = tonumber(ARGV[1])
local version = tonumber(ARGV[2])
local mark = redis.call('GET', KEYS[2])
if mark and tonumber(mark) > version then return 0 end
local storedEpoch, storedVersion = storedHead(KEYS[1])
if storedEpoch then
  if storedEpoch > epoch then return 0 end
  if storedEpoch == epoch and storedVersion > version then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2] .. ':' .. ARGV[4], 'PX', ARGV[3])
return 1`;

// KEYS: entry, mark. ARGV: version, tombstoneTtlMs. The mark lands at the highest of the version,
// the previous mark and the entry it deletes.
const INVALIDATE = `${STORED_HEAD}
local top = tonumber(ARGV[1])
local mark = redis.call('GET', KEYS[2])
if mark and tonumber(mark) > top then top = tonumber(mark) end
local _, storedVersion = storedHead(KEYS[1])
if storedVersion then
  if storedVersion > top then top = storedVersion end
  redis.call('DEL', KEYS[1])
end
redis.call('SET', KEYS[2], string.format('%d', top), 'PX', ARGV[2])
return 1`;

/** The cache's operations on Redis, bound to one client and prefix. */
export interface CacheScripts {
  /** The entry of `key` if it was stored under the current epoch. */
  get(key: string): Promise<CacheEntry | null>;
  /** 1 when stored, 0 when refused. */
  set(key: string, value: string, version: number, ttlMs: number): Promise<number>;
  /** Writes the marks, one script a key. */
  invalidate(marks: readonly Invalidation[]): Promise<void>;
  /** Increments the shared epoch, retiring every entry; the new epoch. */
  bumpEpoch(): Promise<number>;
  /** Reads the shared epoch (entries stored under an older one are not served). */
  readEpoch(): Promise<number>;
  /** The epoch a store tags its entry with: the one read last. */
  storeEpoch(): Promise<number>;
}

type ScriptedRedis = (Redis | Cluster) & {
  catalogCacheSet(entryKey: string, markKey: string, ...args: string[]): Promise<number>;
  catalogCacheInvalidate(entryKey: string, markKey: string, ...args: string[]): Promise<number>;
};

/** Reads "<epoch>:<version>:<value>" back; null when nothing is stored. */
export function decodeEntry(stored: string | null): { epoch: number; version: number; value: string } | null {
  if (stored === null) return null;
  const first = stored.indexOf(':');
  const second = stored.indexOf(':', first + 1);
  return { epoch: Number(stored.slice(0, first)), version: Number(stored.slice(first + 1, second)), value: stored.slice(second + 1) };
}

/** Registers the scripts on `client` (ioredis sends EVALSHA, falling back to EVAL after a restart). */
export function defineCacheScripts(client: Redis | Cluster, prefix: string, tombstoneTtlMs: number): CacheScripts {
  client.defineCommand('catalogCacheSet', { numberOfKeys: 2, lua: SET });
  client.defineCommand('catalogCacheInvalidate', { numberOfKeys: 2, lua: INVALIDATE });
  const scripted = client as ScriptedRedis;
  const epochKey = `${prefix}:epoch`;
  // The epoch this instance read last: sets tag their entries with it.
  let epoch: number | undefined;
  const readEpoch = async () => (epoch = Number((await client.get(epochKey)) ?? 0));
  return {
    async get(key) {
      const keys = cacheKeys(prefix, key);
      const [current, stored] = await Promise.all([readEpoch(), client.get(keys.entry)]);
      const entry = decodeEntry(stored);
      return entry && entry.epoch >= current ? { version: entry.version, value: entry.value } : null;
    },
    async set(key, value, version, ttlMs) {
      const keys = cacheKeys(prefix, key);
      const tag = epoch ?? (await readEpoch());
      return scripted.catalogCacheSet(keys.entry, keys.mark, String(tag), String(version), String(ttlMs), value);
    },
    async invalidate(marks) {
      await Promise.all(
        marks.map(([key, version]) => {
          const keys = cacheKeys(prefix, key);
          return scripted.catalogCacheInvalidate(keys.entry, keys.mark, String(version), String(tombstoneTtlMs));
        }),
      );
    },
    async bumpEpoch() {
      return (epoch = await client.incr(epochKey));
    },
    readEpoch,
    storeEpoch: async () => epoch ?? (await readEpoch()),
  };
}

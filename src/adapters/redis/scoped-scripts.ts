import type { Cluster, Redis } from 'ioredis';
import type { ScopedRead } from '../../application/ports/scoped-cache.js';
import { decodeEntry } from './cache-scripts.js';

/*
 * Scoped entries (the pages of one user's product list) under a generation per scope:
 *   P:{s:<scope>}:g        the generation, a decimal integer, refreshed to live generationTtlMs
 *   P:{s:<scope>}:l:<key>  an entry, "<epoch>:<generation>:<value>", expiring after the caller's TTL
 * The hash tag is the scope, so a scope's generation and its entries share a slot and each script
 * (read, store, bump) touches one slot: Redis Cluster keeps working, and read and store see the
 * generation atomically with the entry. A read serves an entry only at the current generation and
 * under the current epoch (read beside it, as for plain entries); a store succeeds only while the
 * generation is still the one its reader saw before loading, so a load that raced a change is
 * never stored where later readers look. Generations are at least the Redis server's clock in
 * microseconds: a generation key lost to eviction or expiry comes back above every earlier one, so
 * an entry left from before can never match again.
 */

/** The Redis keys of one scoped entry under `prefix`. */
export const scopedKeys = (prefix: string, scope: string, key: string) => ({
  generation: `${prefix}:{s:${scope}}:g`,
  entry: `${prefix}:{s:${scope}}:l:${key}`,
});

const NOW_US = `
local function nowUs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end`;

// KEYS: generation, entry. ARGV: generationTtlMs. A scope without a generation gets one now.
const READ = `${NOW_US}
local generation = redis.call('GET', KEYS[1])
if not generation then
  generation = string.format('%d', nowUs())
  redis.call('SET', KEYS[1], generation, 'PX', ARGV[1])
end
return {generation, redis.call('GET', KEYS[2])}`;

// KEYS: generation, entry. ARGV: epoch, generation, ttlMs, value.
const STORE = `
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[2], ARGV[1] .. ':' .. ARGV[2] .. ':' .. ARGV[4], 'PX', ARGV[3])
return 1`;

// KEYS: generation. ARGV: generationTtlMs. One above the current generation, or the clock if higher.
const BUMP = `${NOW_US}
local next = tonumber(redis.call('GET', KEYS[1]) or '0') + 1
local now = nowUs()
if now > next then next = now end
local text = string.format('%d', next)
redis.call('SET', KEYS[1], text, 'PX', ARGV[1])
return text`;

/** The scoped operations on Redis, bound to one client and prefix. */
export interface ScopedScripts {
  /** The generation and the entry stored at it, if it was stored under `epoch` or later. */
  read(scope: string, key: string, epoch: Promise<number>): Promise<ScopedRead>;
  /** 1 when stored, 0 when the generation moved on. */
  store(scope: string, key: string, value: string, epoch: number, generation: number, ttlMs: number): Promise<number>;
  bump(scope: string): Promise<string>;
}

type ScriptedRedis = (Redis | Cluster) & {
  catalogScopedRead(generationKey: string, entryKey: string, ttl: string): Promise<[string, string | null]>;
  catalogScopedStore(generationKey: string, entryKey: string, ...args: string[]): Promise<number>;
  catalogScopedBump(generationKey: string, ttl: string): Promise<string>;
};

/** Registers the scripts on `client`; generations live `generationTtlMs` after their last change. */
export function defineScopedScripts(client: Redis | Cluster, prefix: string, generationTtlMs: number): ScopedScripts {
  client.defineCommand('catalogScopedRead', { numberOfKeys: 2, lua: READ });
  client.defineCommand('catalogScopedStore', { numberOfKeys: 2, lua: STORE });
  client.defineCommand('catalogScopedBump', { numberOfKeys: 1, lua: BUMP });
  const scripted = client as ScriptedRedis;
  const ttl = String(generationTtlMs);
  return {
    async read(scope, key, epoch) {
      const keys = scopedKeys(prefix, scope, key);
      const [[generation, stored], current] = await Promise.all([scripted.catalogScopedRead(keys.generation, keys.entry, ttl), epoch]);
      const entry = decodeEntry(stored);
      const served = entry !== null && entry.epoch >= current && String(entry.version) === generation;
      return { generation: Number(generation), value: served ? entry.value : null };
    },
    store(scope, key, value, epoch, generation, ttlMs) {
      const keys = scopedKeys(prefix, scope, key);
      return scripted.catalogScopedStore(keys.generation, keys.entry, String(epoch), String(generation), String(ttlMs), value);
    },
    bump(scope) {
      return scripted.catalogScopedBump(scopedKeys(prefix, scope, '').generation, ttl);
    },
  };
}

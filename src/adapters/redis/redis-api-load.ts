import type { Cluster, Redis } from 'ioredis';
import type { ApiLoadProbe, ApiLoadReports } from '../../application/index.js';
import { connectStrictly, createRedisClient, resolveSettings } from './redis-cache-options.js';

/** How RedisApiLoad connects. */
export interface RedisApiLoadOptions {
  /** One server (`redis://`) or a cluster (`redis-cluster://host:port,…`), as for the cache. */
  readonly url: string;
  /** Namespace of the marks (default `catalog`); they live under `<prefix>:apiload:`. */
  readonly prefix?: string;
  /**
   * Longest wait for one command (default 1 s). Nothing waits on a mark or a probe but the next
   * one, and on a saturated host answers come late exactly when they matter.
   */
  readonly commandTimeoutMs?: number;
}

/**
 * ApiLoadReports and ApiLoadProbe on Redis: one key per host, set with an expiry by every API
 * process on it that is saturated and read by its workers. A mark is a plain key with a PX expiry,
 * so a later mark extends it and an API that stops marking is forgotten by Redis itself.
 */
export class RedisApiLoad implements ApiLoadReports, ApiLoadProbe {
  readonly #client: Redis | Cluster;
  readonly #prefix: string;

  private constructor(options: RedisApiLoadOptions) {
    this.#client = createRedisClient(resolveSettings({ url: options.url, commandTimeoutMs: options.commandTimeoutMs ?? 1_000 }));
    // An unreachable server is reported by the commands; without a listener ioredis would print each attempt.
    this.#client.on('error', () => undefined);
    this.#prefix = `${options.prefix ?? 'catalog'}:apiload:`;
  }

  /** Connects and PINGs; rejects with a readable message when Redis cannot be reached. */
  static async connect(options: RedisApiLoadOptions): Promise<RedisApiLoad> {
    const load = new RedisApiLoad(options);
    await connectStrictly(load.#client, options.url, () => load.close());
    return load;
  }

  async markSaturated(host: string, forMs: number): Promise<void> {
    await this.#client.set(this.#prefix + host, '1', 'PX', Math.max(1, Math.round(forMs)));
  }

  async isSaturated(host: string): Promise<boolean> {
    return (await this.#client.exists(this.#prefix + host)) === 1;
  }

  async close(): Promise<void> {
    if (this.#client.status === 'ready') await this.#client.quit().catch(() => undefined);
    this.#client.disconnect();
  }
}

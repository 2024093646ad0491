import type { Cluster, Redis } from 'ioredis';
import type { CatalogEvent, EventStream } from '../../application/index.js';
import { connectStrictly, createRedisClient, resolveSettings } from './redis-cache-options.js';

export interface RedisEventStreamOptions {
  readonly url: string;
  /** Names the channel, `<prefix>:events` (default `catalog`). */
  readonly prefix?: string;
}

/**
 * EventStream over Redis pub/sub: every API instance on the same server and prefix hears every
 * event. Pub/sub keeps nothing: an instance that was disconnected misses what was sent meanwhile,
 * which GET /events clients recover from with Last-Event-ID against another instance's window,
 * or by reading the product.
 */
export class RedisEventStream implements EventStream {
  readonly #publisher: Redis | Cluster;
  readonly #subscriber: Redis | Cluster;
  readonly #channel: string;
  readonly #listeners = new Set<(event: CatalogEvent) => void>();

  private constructor(options: RedisEventStreamOptions) {
    const settings = resolveSettings({ url: options.url, commandTimeoutMs: 1_000 });
    this.#publisher = createRedisClient(settings);
    this.#subscriber = createRedisClient(settings);
    for (const client of [this.#publisher, this.#subscriber]) client.on('error', () => undefined);
    this.#channel = `${options.prefix ?? 'catalog'}:events`;
    // The subscriber connection listens on this one channel only.
    this.#subscriber.on('message', (_channel: string, text: string) => {
      let event: CatalogEvent;
      try {
        event = JSON.parse(text) as CatalogEvent;
      } catch {
        return;
      }
      for (const listener of [...this.#listeners]) listener(event);
    });
  }

  /** Connects both clients and subscribes; rejects with a readable message when Redis cannot be reached. */
  static async connect(options: RedisEventStreamOptions): Promise<RedisEventStream> {
    const stream = new RedisEventStream(options);
    await connectStrictly(stream.#publisher, options.url, () => stream.close());
    await connectStrictly(stream.#subscriber, options.url, () => stream.close());
    await stream.#subscriber.subscribe(stream.#channel);
    return stream;
  }

  async publish(event: CatalogEvent): Promise<void> {
    await this.#publisher.publish(this.#channel, JSON.stringify(event));
  }

  async subscribe(listener: (event: CatalogEvent) => void): Promise<() => Promise<void>> {
    const entry = (event: CatalogEvent) => listener(event);
    this.#listeners.add(entry);
    return async () => {
      this.#listeners.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    for (const client of [this.#subscriber, this.#publisher]) {
      if (client.status === 'ready') await client.quit().catch(() => undefined);
      client.disconnect();
    }
  }
}

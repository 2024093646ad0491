import type { CatalogEvent, EventType } from './events.js';
import type { EventStream } from './ports/event-stream.js';

/** What one GET /events subscriber asked for; absent fields match everything. */
export interface EventFilter {
  readonly product_id?: number | undefined;
  readonly user_id?: number | undefined;
  readonly types?: readonly EventType[] | undefined;
}

export interface EventFeedOptions {
  /** Recent events kept for Last-Event-ID resume (default 500). */
  readonly windowSize?: number;
  /** Events one subscriber may have waiting before it is dropped (default 500: a whole window can be resumed). */
  readonly maxQueued?: number;
}

/** One subscriber's side of the feed. */
export interface FeedSubscription {
  /** The next event, or null once the subscription ended (closed, or dropped for falling behind). */
  next(): Promise<CatalogEvent | null>;
  /** True when it ended because it fell more than `maxQueued` events behind. */
  readonly dropped: boolean;
  /** Settles when the subscription ends, however it ends. */
  readonly ended: Promise<void>;
  close(): void;
}

/** The API instance's view of the stream: a bounded window of recent events and its subscribers. */
export interface EventFeed {
  /**
   * Subscribes with a filter. With `lastEventId` still in the window, the matching events after
   * it are delivered first; an id that left the window (or never was) resumes from now.
   */
  subscribe(filter: EventFilter, lastEventId?: string): FeedSubscription;
  /** Subscribers right now. */
  readonly subscribers: number;
  close(): Promise<void>;
}

const matches = (filter: EventFilter, event: CatalogEvent): boolean =>
  (filter.product_id === undefined || event.product_id === filter.product_id) &&
  (filter.user_id === undefined || event.user_id === filter.user_id) &&
  (filter.types === undefined || filter.types.length === 0 || filter.types.includes(event.type));

class Subscription implements FeedSubscription {
  readonly #queue: CatalogEvent[] = [];
  #waiting: ((event: CatalogEvent | null) => void) | undefined;
  #ended = false;
  #end!: () => void;
  dropped = false;
  readonly ended = new Promise<void>((resolve) => (this.#end = resolve));

  constructor(
    readonly filter: EventFilter,
    readonly maxQueued: number,
    readonly onEnd: (subscription: Subscription) => void,
  ) {}

  offer(event: CatalogEvent): void {
    if (this.#ended || !matches(this.filter, event)) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      resolve(event);
      return;
    }
    if (this.#queue.length >= this.maxQueued) {
      // A consumer this far behind is dropped rather than buffered without bound.
      this.dropped = true;
      this.close();
      return;
    }
    this.#queue.push(event);
  }

  next(): Promise<CatalogEvent | null> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  close(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#queue.length = 0;
    this.#waiting?.(null);
    this.#waiting = undefined;
    this.onEnd(this);
    this.#end();
  }
}

/** Starts the feed: subscribes to the stream once and keeps the window. */
export async function createEventFeed(deps: { stream: EventStream }, options: EventFeedOptions = {}): Promise<EventFeed> {
  const windowSize = options.windowSize ?? 500;
  const maxQueued = options.maxQueued ?? 500;
  const window: CatalogEvent[] = [];
  const subscriptions = new Set<Subscription>();
  const unsubscribe = await deps.stream.subscribe((event) => {
    // Redeliveries of an event (at least once) reach the feed again: each id is shown once.
    if (window.some((seen) => seen.id === event.id)) return;
    window.push(event);
    if (window.length > windowSize) window.shift();
    for (const subscription of [...subscriptions]) subscription.offer(event);
  });
  return {
    subscribe(filter, lastEventId) {
      const subscription = new Subscription(filter, maxQueued, (ended) => subscriptions.delete(ended));
      const from = lastEventId === undefined ? -1 : window.findIndex((event) => event.id === lastEventId);
      if (from >= 0) for (const event of window.slice(from + 1)) subscription.offer(event);
      subscriptions.add(subscription);
      return subscription;
    },
    get subscribers() {
      return subscriptions.size;
    },
    async close() {
      for (const subscription of [...subscriptions]) subscription.close();
      await unsubscribe();
    },
  };
}

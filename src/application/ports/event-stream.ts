import type { CatalogEvent } from '../events.js';

/** Committed events, broadcast to every API instance subscribed (Redis pub/sub or this process). */
export interface EventStream {
  /** Broadcasts the event; resolves once the broadcast was handed on (not once it was heard). */
  publish(event: CatalogEvent): Promise<void>;
  /** Calls `listener` with every event published from now on; resolves to an unsubscribe. */
  subscribe(listener: (event: CatalogEvent) => void): Promise<() => Promise<void>>;
}

import type { CatalogEvent } from './events.js';

/**
 * Work the pipeline does after a commit. Image and object messages carry ids, never data; an
 * event carries its snapshot, which is what it reports (the state at its commit).
 */
export type Task =
  | { readonly type: 'image.process'; readonly product_id: number; readonly image_id: number; readonly version: number }
  | { readonly type: 'object.delete'; readonly key: string }
  | { readonly type: 'event.publish'; readonly event: CatalogEvent }
  | { readonly type: 'webhook.deliver'; readonly webhook_id: string; readonly event: CatalogEvent };

/** A task on its way from the outbox to a worker. */
export interface TaskMessage {
  /** Unique and stable across redeliveries and replays (the outbox row id). */
  readonly id: string;
  readonly task: Task;
  /** Request id of the HTTP call that caused the task, for logs. */
  readonly request_id?: string | undefined;
  /** W3C `traceparent` of the span that caused the task, so its processing joins that trace. */
  readonly traceparent?: string | undefined;
  /**
   * Set on a task whose earlier attempts were made elsewhere (a fan-out that delivered inline):
   * it arrives as `attempt` after `delayMs`, as a retry the queue settled itself would.
   */
  readonly retry?: TaskRetry | undefined;
}

/** Which attempt a published task starts at, and how long it waits first. */
export interface TaskRetry {
  readonly attempt: number;
  readonly delayMs: number;
}

/** The task that processes one image row at its current version. */
export const imageProcessTask = (image: { readonly id: number; readonly product_id: number; readonly version: number }): Task => ({
  type: 'image.process',
  product_id: image.product_id,
  image_id: image.id,
  version: image.version,
});

/** The objects an image row references, as every store reports them. */
export interface ImageObjects {
  readonly compressed_key: string | null;
  readonly source_key: string | null;
  /** Every rendition's key (compressed_key among them); absent for rows without renditions. */
  readonly rendition_keys?: readonly string[];
}

/** One `object.delete` per distinct object the removed image rows referenced. */
export function objectDeleteTasks(removed: readonly ImageObjects[]): Task[] {
  const keys = new Set<string>();
  for (const image of removed) {
    if (image.compressed_key !== null) keys.add(image.compressed_key);
    if (image.source_key !== null) keys.add(image.source_key);
    for (const key of image.rendition_keys ?? []) keys.add(key);
  }
  return [...keys].map((key) => ({ type: 'object.delete', key }));
}

/** One line naming what a task is about, for the operator's listings. */
export function describeTask(task: Task): string {
  switch (task.type) {
    case 'image.process':
      return `image ${task.image_id} of product ${task.product_id}`;
    case 'object.delete':
      return `delete ${task.key}`;
    case 'event.publish':
      return `event ${task.event.id} ${task.event.type}`;
    case 'webhook.deliver':
      return `webhook ${task.webhook_id} event ${task.event.id} ${task.event.type}`;
  }
}

import type { Product } from '../domain/index.js';
import { productView, type EventData, type EventStamp, type EventType } from './events.js';
import type { Task } from './tasks.js';

const stamped = (stamp: EventStamp, type: EventType, product: Product, data: EventData): Task => ({
  type: 'event.publish',
  event: { id: stamp.newId(), type, timestamp: stamp.now().toISOString(), product_id: product.id, user_id: product.user_id, data },
});

/** The outbox task of a product event showing `product` (as it is after the change, or before a delete). */
export const productEventTask = (stamp: EventStamp, type: 'product.created' | 'product.updated' | 'product.deleted', product: Product): Task =>
  stamped(stamp, type, product, { product: productView(product) });

/**
 * The tasks of an image that just finished (`image.done`) or failed for good (`image.failed`),
 * read back in the same transaction: its event, and `product.images_settled` when no image of
 * the product is pending or processing any more.
 */
export function imageEventTasks(stamp: EventStamp, type: 'image.done' | 'image.failed', product: Product, imageId: number): Task[] {
  const image = product.images.find((candidate) => candidate.id === imageId);
  if (!image) return [];
  const tasks = [stamped(stamp, type, product, { product_id: product.id, image: { ...image } })];
  const settled = product.images.every((candidate) => candidate.status === 'done' || candidate.status === 'failed');
  if (settled) tasks.push(stamped(stamp, 'product.images_settled', product, { product: productView(product) }));
  return tasks;
}

import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { imageEventTasks, type EventStamp, type Task } from '../../application/index.js';
import type { Database } from './connection.js';
import { productSelection, toProduct } from './product-rows.js';
import { products } from './schema.js';

/** Event ids are random (no round trip); the timestamp is the writer's clock at the change. */
export const eventStamp: EventStamp = { newId: () => `evt_${randomUUID()}`, now: () => new Date() };

/**
 * The events of an image that just finished or failed for good, read back in the caller's
 * transaction after the change so they show the product as it committed.
 */
export async function imageEvents(tx: Database, productId: number, imageId: number, type: 'image.done' | 'image.failed'): Promise<Task[]> {
  const [row] = await tx.select(productSelection).from(products).where(eq(products.id, productId));
  return row ? imageEventTasks(eventStamp, type, toProduct(row), imageId) : [];
}

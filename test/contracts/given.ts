import type { CatalogEvent, Outbox, Task, TaskMessage } from '../../src/application/index.js';
import type { NewProduct, Product } from '../../src/domain/index.js';
import { aNewProduct, aNewUser } from '../support/mothers.js';
import type { RepoFixture } from './repo-fixture.js';

/** A stored user's id. */
export async function givenUser(repos: RepoFixture): Promise<number> {
  const created = await repos.users.create(aNewUser());
  if (!created.ok) throw new Error(`could not arrange a user: ${created.error}`);
  return created.value.id;
}

/** A stored product of `userId`. */
export async function givenProduct(repos: RepoFixture, userId: number, overrides: Partial<NewProduct> = {}): Promise<Product> {
  const created = await repos.products.create(aNewProduct(userId, overrides));
  if (!created.ok) throw new Error(`could not arrange a product: ${created.error}`);
  return created.value.product;
}

/** Lets the clock move on so a later write gets a later timestamp. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/** Relays every message waiting in the outbox, oldest first, and returns them. */
export async function drain(outbox: Outbox): Promise<TaskMessage[]> {
  const messages: TaskMessage[] = [];
  while ((await outbox.relay(500, async (batch) => void messages.push(...batch))) > 0);
  return messages;
}

/** The pipeline messages `write` queued (events left out): whatever waited before is relayed away first. */
export async function queuedBy(repos: RepoFixture, write: () => Promise<unknown>): Promise<TaskMessage[]> {
  return withoutEvents(await queuedWithEvents(repos, write));
}

/** The messages that are not events. */
export const withoutEvents = (messages: readonly TaskMessage[]): TaskMessage[] => messages.filter((message) => message.task.type !== 'event.publish');

/** Every message `write` queued, events included. */
export async function queuedWithEvents(repos: RepoFixture, write: () => Promise<unknown>): Promise<TaskMessage[]> {
  await drain(repos.outbox);
  await write();
  return drain(repos.outbox);
}

/** The events `write` recorded, in the order it recorded them. */
export async function eventsBy(repos: RepoFixture, write: () => Promise<unknown>): Promise<CatalogEvent[]> {
  return (await queuedWithEvents(repos, write)).flatMap((message) => (message.task.type === 'event.publish' ? [message.task.event] : []));
}

/** The tasks of `messages`, in a stable order, for comparisons that ignore queueing order. */
export const sortedTasks = (messages: readonly TaskMessage[]): Task[] => {
  // Keys sorted too: a store may hand back the fields of a task in another order (jsonb does).
  const text = (task: Task) => JSON.stringify(task, Object.keys(task).sort());
  return messages.map((message) => message.task).sort((a, b) => text(a).localeCompare(text(b)));
};

/** The `image.process` task of one image of `product` at `version`. */
export const processTaskOf = (product: Product, imageId: number, version = 1): Task => ({
  type: 'image.process',
  product_id: product.id,
  image_id: imageId,
  version,
});

/** A promise with its resolve handle, to hold a callback until the test lets it go. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

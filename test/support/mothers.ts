import type { Delivery, Task, TaskMessage } from '../../src/application/index.js';
import type { ImageResult, NewProduct, NewUser, ProductRecord } from '../../src/domain/index.js';

let sequence = 0;
const next = () => ++sequence;

/** A valid new user with a unique email; override what the test is about. */
export const aNewUser = (overrides: Partial<NewUser> = {}): NewUser => {
  const n = next();
  return { name: `User ${n}`, email: `user-${n}-${Date.now()}@example.com`, ...overrides };
};

/** A valid new product for `user_id`; override what the test is about. */
export const aNewProduct = (user_id: number, overrides: Partial<NewProduct> = {}): NewProduct => {
  const n = next();
  return {
    user_id,
    product_name: `Product ${n}`,
    product_description: `Description of product ${n}`,
    product_images: [`https://images.example.com/${n}/a.jpg`, `https://images.example.com/${n}/b.png`],
    product_price: 19.99,
    ...overrides,
  };
};

/** A key no other test uses, e.g. for an object or an idempotency record. */
export const aKey = (): string => `key-${next()}-${Math.random().toString(36).slice(2)}-${Date.now()}`;

/** A finished image under a key no other test uses; override what the test is about. */
export const anImageResult = (overrides: Partial<ImageResult> = {}): ImageResult => {
  const key = overrides.key ?? `images/${aKey()}.webp`;
  const url = overrides.url ?? `https://cdn.example/${key}`;
  const largest = { key, url, width: overrides.width ?? 640, height: overrides.height ?? 480, bytes: overrides.bytes ?? 12_345, format: overrides.format ?? 'webp' };
  return {
    ...largest,
    renditions: [largest],
    placeholder: { thumbhash: 'HBkSHYSIeHiPiHh8eJd4eTN0EEQG', color: '#808080' },
    source_digest: null,
    reused: false,
    ...overrides,
  };
};

/** An `image.process` task; override the ids the test is about. */
export const anImageTask = (overrides: Partial<Extract<Task, { type: 'image.process' }>> = {}): Task => {
  const n = next();
  return { type: 'image.process', product_id: n, image_id: 1000 + n, version: 1, ...overrides };
};

/** An `object.delete` task for `key`. */
export const anObjectDeleteTask = (key = `images/${aKey()}.webp`): Task => ({ type: 'object.delete', key });

/** A task message with a unique id and a request id; override what the test is about. */
export const aTaskMessage = (overrides: Partial<TaskMessage> = {}): TaskMessage => {
  const n = next();
  return { id: `task-${Date.now()}-${n}`, task: anImageTask(), request_id: `request-${n}`, ...overrides };
};

/** A first delivery of a task message, as a use case receives it; override the attempt or the task. */
export const aDelivery = (overrides: Partial<Delivery> = {}): Delivery => ({ ...aTaskMessage(), attempt: 1, maxAttempts: 3, ...overrides });

/** A stored product row of user 1, as a repository hands it to assembleProduct; override what the test is about. */
export const aProductRecord = (overrides: Partial<ProductRecord> = {}): ProductRecord => {
  const created_at = new Date('2026-01-01T00:00:00Z');
  return { ...aNewProduct(1), id: next(), version: 1, created_at, updated_at: created_at, ...overrides };
};

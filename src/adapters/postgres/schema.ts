import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Task } from '../../application/tasks.js';
import type { Placeholder, Rendition } from '../../domain/index.js';

// Tables are declared with the column names as property names: the domain already speaks
// snake_case, so rows map to it without a renaming layer.

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** Product owners; emails are unique regardless of case. */
export const users = pgTable(
  'users',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    created_at: createdAt(),
  },
  (table) => [uniqueIndex('users_email_lower_key').on(sql`lower(${table.email})`)],
);

/**
 * Issued API keys: the SHA-256 digest of each key, never the key. Revoked keys stay, with
 * revoked_at, so their use can still be told apart from a guess.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    role: text('role', { enum: ['admin', 'user'] }).notNull(),
    user_id: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'cascade' }),
    secret_digest: text('secret_digest').notNull(),
    created_at: createdAt(),
    last_used_at: timestamp('last_used_at', { withTimezone: true }),
    revoked_at: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    check('api_keys_role_known', sql`${table.role} in ('admin', 'user')`),
    // A user key names its user; an admin key names none.
    check('api_keys_user_matches_role', sql`(${table.role} = 'admin') = (${table.user_id} is null)`),
    index('api_keys_user_id_idx').on(table.user_id),
  ],
);

/** One row per product; prices are exact NUMERIC(12,2). */
export const products = pgTable(
  'products',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    user_id: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    product_name: text('product_name').notNull(),
    product_description: text('product_description').notNull(),
    product_price: numeric('product_price', { precision: 12, scale: 2 }).notNull(),
    // Bumped by every change a reader of the product can see, under the row's lock; caches and
    // ETags compare it.
    version: integer('version').notNull().default(1),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (table) => [
    check('products_price_not_negative', sql`${table.product_price} >= 0`),
    index('products_user_id_id_idx').on(table.user_id, table.id),
    index('products_user_id_price_id_idx').on(table.user_id, table.product_price, table.id),
    index('products_name_trgm_idx').using('gin', table.product_name.op('gin_trgm_ops')),
  ],
);

/** Source images of a product and what the image pipeline made of each. */
export const productImages = pgTable(
  'product_images',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    product_id: bigint('product_id', { mode: 'number' })
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    source_url: text('source_url').notNull(),
    status: text('status', { enum: ['pending', 'processing', 'done', 'failed'] }).notNull().default('pending'),
    compressed_url: text('compressed_url'),
    width: integer('width'),
    height: integer('height'),
    bytes: integer('bytes'),
    format: text('format'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    // Bumped whenever the image is queued anew; a job for an older version has no effect.
    version: integer('version').notNull().default(1),
    // Object key of an uploaded original; null for images fetched from their URL.
    source_key: text('source_key'),
    // Content-addressed object key of the compressed result: the largest rendition in the primary format.
    compressed_key: text('compressed_key'),
    // The public renditions ({width, height, format, bytes, url}), sorted by width.
    renditions: jsonb('renditions').$type<Rendition[]>().notNull().default([]),
    // Every rendition's object key (compressed_key among them), for the reference check and deletion.
    rendition_keys: text('rendition_keys').array().notNull().default(sql`'{}'::text[]`),
    placeholder: jsonb('placeholder').$type<Placeholder>(),
    // SHA-256 of the source bytes plus the compressor's settings: an identical source reuses the renditions.
    source_digest: text('source_digest'),
    reused: boolean('reused').notNull().default(false),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  (table) => [
    // Also the index behind "images of these products, in order".
    unique('product_images_product_id_position_key').on(table.product_id, table.position),
    check('product_images_status_known', sql`${table.status} in ('pending', 'processing', 'done', 'failed')`),
    // The reference check before an object is deleted; most rows have no source key, and a
    // key equality implies non-null, so partial indexes serve it.
    index('product_images_compressed_key_idx').on(table.compressed_key).where(sql`${table.compressed_key} is not null`),
    index('product_images_source_key_idx').on(table.source_key).where(sql`${table.source_key} is not null`),
    // `rendition_keys @> array[key]`: the reference check for renditions.
    index('product_images_rendition_keys_idx').using('gin', table.rendition_keys),
    // Finding a done image with the same source to reuse.
    index('product_images_source_digest_idx').on(table.source_digest).where(sql`${table.status} = 'done'`),
  ],
);

/**
 * Tasks written in the transaction of the change that caused them; a relay publishes them in id
 * order and deletes them once the queue accepted them, so the table only holds the backlog.
 */
export const outbox = pgTable('outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  // The task, plus the `traceparent` of its cause when traced (outbox-tasks.ts).
  task: jsonb('task').$type<Task & { traceparent?: string }>().notNull(),
  request_id: text('request_id'),
  created_at: createdAt(),
});

/**
 * Deletions of stored objects in progress: a lease per key, begun only while no image references
 * the key and ended once the object is gone (application/object-lifecycle.ts). Writers that
 * reference a key while its lease runs restore the object after it ends.
 */
export const objectDeletions = pgTable('object_deletions', {
  key: text('key').primaryKey(),
  token: text('token').notNull(),
  expires_at: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Idempotency-Key records: the request fingerprint and the product as first created. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  key: text('key').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  // No foreign key: the stored snapshot is replayed even after the product is deleted, and
  // deleting a product then needs no lookup in this table.
  product_id: bigint('product_id', { mode: 'number' }),
  response: jsonb('response'),
  created_at: createdAt(),
});

/**
 * Registered webhook endpoints. The signing secret is kept as given (it must be, to sign);
 * user_id scopes a user key's endpoint to that user's products, null receives every product's.
 */
export const webhooks = pgTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    url: text('url').notNull(),
    events: text('events').array().notNull(),
    user_id: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'cascade' }),
    secret: text('secret').notNull(),
    created_at: createdAt(),
  },
  (table) => [index('webhooks_user_id_idx').on(table.user_id)],
);

/** Recent delivery attempts per endpoint; each write keeps only the newest few hundred. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    webhook_id: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    event_id: text('event_id').notNull(),
    event_type: text('event_type').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status', { enum: ['succeeded', 'failed', 'dead'] }).notNull(),
    response_code: integer('response_code'),
    duration_ms: integer('duration_ms').notNull(),
    error: text('error'),
    next_retry_at: timestamp('next_retry_at', { withTimezone: true }),
    created_at: createdAt(),
  },
  (table) => [index('webhook_deliveries_webhook_id_id_idx').on(table.webhook_id, table.id)],
);

import type { Product, ProductImage } from '../domain/index.js';

/** Every event type, in the order the README lists them. */
export const EVENT_TYPES = [
  'product.created',
  'product.updated',
  'product.deleted',
  'image.done',
  'image.failed',
  'product.images_settled',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The product as the API shows it (`GET /products/{id}`): dates as ISO strings. */
export type ProductView = Omit<Product, 'version' | 'created_at' | 'updated_at'> & { readonly created_at: string; readonly updated_at: string };

/** What an event carries: the product for product events, the image and its product's id for image events. */
export type EventData = { readonly product: ProductView } | { readonly product_id: number; readonly image: ProductImage };

/**
 * A visible change of the catalog, written in the transaction of the change (an `event.publish`
 * outbox task), so no event is lost and none is sent for a change that rolled back.
 */
export interface CatalogEvent {
  /** Unique per event, stable across redeliveries: the `webhook-id` of its deliveries. */
  readonly id: string;
  readonly type: EventType;
  /** When the change was written, ISO 8601. */
  readonly timestamp: string;
  /** The product and its owner, for filters and webhook ownership. */
  readonly product_id: number;
  readonly user_id: number;
  readonly data: EventData;
}

/** Where a writer gets each event's id and time (random ids and the clock in the adapters). */
export interface EventStamp {
  readonly newId: () => string;
  readonly now: () => Date;
}

/** The product as the API shows it, copied so that a later change of `product` cannot reach it. */
export const productView = ({ version: _version, ...product }: Product): ProductView => ({
  ...product,
  compressed_product_images: [...product.compressed_product_images],
  images: product.images.map((image) => ({ ...image, renditions: image.renditions.map((rendition) => ({ ...rendition })) })),
  created_at: product.created_at.toISOString(),
  updated_at: product.updated_at.toISOString(),
});

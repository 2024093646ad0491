/** The API the console is served by: its origin, one level above /admin/ (so a path prefix works too). */
export const API_BASE = new URL('../', window.location.href);

const KEY_STORAGE = 'catalog-admin.api-key';

export const storedKey = (): string | null => sessionStorage.getItem(KEY_STORAGE);
export const storeKey = (key: string | null): void => (key === null ? sessionStorage.removeItem(KEY_STORAGE) : sessionStorage.setItem(KEY_STORAGE, key));

export interface Rendition {
  readonly width: number;
  readonly format: string;
  readonly url: string;
}

export interface ProductImage {
  readonly id: number;
  readonly position: number;
  readonly source_url: string;
  readonly status: 'pending' | 'processing' | 'done' | 'failed';
  readonly error: string | null;
  readonly attempts: number;
  readonly renditions: readonly Rendition[];
}

export interface Product {
  readonly id: number;
  readonly user_id: number;
  readonly product_name: string;
  readonly product_description: string;
  readonly product_images: readonly string[];
  readonly product_price: number;
  readonly images: readonly ProductImage[];
  readonly updated_at: string;
}

export interface DeadLetter {
  readonly id: string;
  readonly type: string;
  readonly description: string;
  readonly product_id: number | null;
  readonly webhook_id: string | null;
  readonly attempts: number;
  readonly reason: string;
  readonly dead_at: string;
}

export interface DeliveryAttempt {
  readonly event_id: string;
  readonly event_type: string;
  readonly attempt: number;
  readonly status: string;
  readonly response_code: number | null;
  readonly duration_ms: number;
  readonly error: string | null;
  readonly next_retry_at: string | null;
  readonly created_at: string;
}

/** A catalog event as GET /events sends it. */
export interface CatalogEvent {
  readonly id: string;
  readonly type: string;
  /** When the change was written (ISO 8601). */
  readonly timestamp: string;
  readonly product_id: number;
  readonly user_id: number;
  readonly data: { readonly product: Product } | { readonly product_id: number; readonly image: ProductImage };
}

/** A problem+json answer, or a network failure, as one readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A registered endpoint as GET /webhooks lists it. */
export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly user_id: number | null;
  readonly created_at: string;
}

/** Calls the API with the stored key; problem+json answers throw an ApiError with their detail. */
export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const response = await send(path, init);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** One page of a list and the path of the next (from its `Link: <…>; rel="next"`), null on the last. */
export async function apiPage<T>(path: string): Promise<{ items: T[]; next: string | null }> {
  const response = await send(path, {});
  const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  // Only the link's query is taken, on this path: a link relative to the origin's root (no
  // PUBLIC_BASE_URL) would lose a path prefix the API is mounted under.
  const next = link === undefined ? null : `${path.split('?')[0]}${new URL(link, API_BASE).search}`;
  return { items: (await response.json()) as T[], next };
}

async function send(path: string, init: RequestInit & { json?: unknown }): Promise<Response> {
  const headers = new Headers(init.headers);
  const key = storedKey();
  if (key) headers.set('authorization', `Bearer ${key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const response = await fetch(new URL(path, API_BASE), { ...init, headers, body });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; code?: string; errors?: { path: string; message: string }[] };
    const fields = problem.errors?.map((error) => `${error.path}: ${error.message}`).join('; ');
    throw new ApiError(response.status, [problem.detail ?? `HTTP ${response.status}`, fields].filter(Boolean).join(' '), problem.code);
  }
  return response;
}

/** The smallest rendition of a finished image, for a thumbnail. */
export const thumbnailOf = (image: ProductImage): string | undefined => image.renditions[0]?.url;

import { Agent, type Dispatcher } from 'undici';
import type { FetchedImage, ImageFetcher } from '../../application/ports/index.js';
import { ImageFailure, permanentFailure, sniffImageFormat, transientFailure } from '../../domain/index.js';
import { checkedAgent, type Resolve, type TrustedEndpoint } from './checked-connector.js';
import { failureForError, failureForStatus } from './fetch-failures.js';
import { parseImageUrl } from './image-url.js';
import { discardBody, readLimitedBody } from './read-limited-body.js';

export interface UndiciImageFetcherOptions {
  /** Largest body accepted, in bytes (default 25 MiB). */
  readonly maxBytes?: number;
  /** Budget for the whole download, redirects, headers and body included (default 15 s). */
  readonly timeoutMs?: number;
  /** Redirects followed before `image.too_many_redirects` (default 5). */
  readonly maxRedirects?: number;
  /** Lifts the public-address rule, for local development and tests only (default false). */
  readonly allowPrivateNetworks?: boolean;
  /** Accepts SVG sources (default false: SVG can reference other resources). */
  readonly allowSvg?: boolean;
  readonly userAgent?: string;
  /** Host name resolver; the system resolver by default, injected by tests. */
  readonly lookup?: Resolve;
  /** Socket addresses exempt from the address rule; a test seam, leave empty in production. */
  readonly trustedEndpoints?: readonly TrustedEndpoint[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const locationOf = ({ statusCode, headers }: Dispatcher.ResponseData): string | undefined => {
  const location = REDIRECTS.has(statusCode) ? headers.location : undefined;
  return Array.isArray(location) ? location[0] : location;
};

/**
 * Downloads user-supplied image URLs with undici through its own Agent (proxy variables are never
 * consulted), following redirects by hand so that every hop meets the same URL and address rules.
 */
export class UndiciImageFetcher implements ImageFetcher {
  readonly #agent: Agent;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;
  readonly #maxRedirects: number;
  readonly #allowSvg: boolean;
  readonly #headers: Record<string, string>;

  constructor(options: UndiciImageFetcherOptions = {}) {
    this.#maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#maxRedirects = options.maxRedirects ?? 5;
    this.#allowSvg = options.allowSvg ?? false;
    // identity: the size limit applies to the bytes kept, and nothing here decompresses.
    this.#headers = {
      'user-agent': options.userAgent ?? 'product-catalog-image-fetcher',
      accept: 'image/*,*/*;q=0.8',
      'accept-encoding': 'identity',
    };
    this.#agent = checkedAgent(options, this.#timeoutMs);
  }

  /**
   * Throws ImageFailure as the port describes; when the caller's signal aborts, throws its reason
   * instead, since that says nothing about the image.
   */
  async fetch(url: string, options: { signal?: AbortSignal } = {}): Promise<FetchedImage> {
    const caller = options.signal;
    caller?.throwIfAborted();
    const controller = new AbortController();
    const timeout = transientFailure('image.timeout', `The download did not finish within ${this.#timeoutMs} ms`);
    const timer = setTimeout(() => controller.abort(timeout), this.#timeoutMs);
    // A listener removed in `finally`: a long-lived caller signal (a worker's shutdown signal)
    // then holds nothing of finished downloads.
    const onAbort = () => controller.abort(caller?.reason);
    caller?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.#download(url, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      throw error instanceof ImageFailure ? error : failureForError(error);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    }
  }

  async #download(input: string, signal: AbortSignal): Promise<FetchedImage> {
    let url = parseImageUrl(input);
    for (let redirects = 0; ; redirects += 1) {
      const response = await this.#agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        headers: this.#headers,
        signal,
      });
      const location = locationOf(response);
      if (location === undefined) return this.#accept(response);
      discardBody(response.body);
      if (redirects === this.#maxRedirects) {
        throw permanentFailure('image.too_many_redirects', `More than ${this.#maxRedirects} redirects`);
      }
      url = parseImageUrl(location, url);
    }
  }

  async #accept(response: Dispatcher.ResponseData): Promise<FetchedImage> {
    if (response.statusCode < 200 || response.statusCode > 299) {
      discardBody(response.body);
      throw failureForStatus(response.statusCode);
    }
    const bytes = await readLimitedBody(response, this.#maxBytes);
    const format = sniffImageFormat(bytes);
    if (format === null) {
      const what = bytes.length === 0 ? 'an empty body' : 'something that is not a known image format';
      throw permanentFailure('image.not_an_image', `The source sent ${what}`);
    }
    if (format === 'svg' && !this.#allowSvg) throw permanentFailure('image.unsupported_type', 'SVG images are not accepted');
    return { bytes, format };
  }

  /** Destroys pooled connections; downloads still running fail as transient. */
  async close(): Promise<void> {
    await this.#agent.destroy();
  }
}

import type { CatalogEvent, DeliveryAttempt, NewWebhook, SubscribedEndpoint, Webhook, WebhookQuery, WebhookRepo, WebhookTarget, WebhookTargets } from '../../application/index.js';

// Ids are ASCII and unique, so `<` is the byte order PostgresWebhooks sorts them in.
const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : 1);

/** Attempts kept per endpoint, as PostgresWebhooks keeps them. */
const DELIVERIES_KEPT = 200;

/** WebhookRepo and WebhookTargets in Maps: the PostgreSQL adapter's semantics, checked by the same contract. */
export class InMemoryWebhooks implements WebhookRepo, WebhookTargets {
  readonly #hooks = new Map<string, NewWebhook & { created_at: Date }>();
  readonly #attempts = new Map<string, DeliveryAttempt[]>();
  readonly #now: () => Date;

  constructor(options: { now?: () => Date } = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  async create(webhook: NewWebhook): Promise<Webhook> {
    const stored = { ...webhook, events: [...webhook.events], created_at: this.#now() };
    this.#hooks.set(webhook.id, stored);
    return this.#public(stored);
  }

  async findById(id: string): Promise<Webhook | null> {
    const found = this.#hooks.get(id);
    return found ? this.#public(found) : null;
  }

  async list(query: WebhookQuery): Promise<Webhook[]> {
    return [...this.#hooks.values()]
      .filter((hook) => (query.user_id === undefined || hook.user_id === query.user_id) && (query.after_id === undefined || hook.id > query.after_id))
      .sort(byId)
      .slice(0, query.limit)
      .map((hook) => this.#public(hook));
  }

  async delete(id: string): Promise<boolean> {
    this.#attempts.delete(id);
    return this.#hooks.delete(id);
  }

  async deliveries(id: string, limit: number): Promise<DeliveryAttempt[]> {
    return (this.#attempts.get(id) ?? []).slice(-limit).reverse();
  }

  async subscribedTo(event: CatalogEvent): Promise<SubscribedEndpoint[]> {
    return [...this.#hooks.values()]
      .filter((hook) => hook.events.includes(event.type) && (hook.user_id === null || hook.user_id === event.user_id))
      .sort(byId)
      .map(({ id, url, secret }) => ({ id, url, secret }));
  }

  async target(id: string): Promise<WebhookTarget | null> {
    const found = this.#hooks.get(id);
    return found ? { url: found.url, secret: found.secret } : null;
  }

  async recordAttempt(webhookId: string, attempt: Omit<DeliveryAttempt, 'created_at'>): Promise<void> {
    if (!this.#hooks.has(webhookId)) return;
    const list = this.#attempts.get(webhookId) ?? [];
    list.push({ ...attempt, created_at: this.#now() });
    if (list.length > DELIVERIES_KEPT) list.splice(0, list.length - DELIVERIES_KEPT);
    this.#attempts.set(webhookId, list);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #public({ secret: _secret, ...webhook }: NewWebhook & { created_at: Date }): Webhook {
    return { ...webhook, events: [...webhook.events] };
  }
}

import { and, arrayContains, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { CatalogEvent, DeliveryAttempt, NewWebhook, SubscribedEndpoint, Webhook, WebhookQuery, WebhookRepo, WebhookTarget, WebhookTargets } from '../../application/index.js';
import type { Connection, Database } from './connection.js';
import type { Limiter } from './limiter.js';
import { webhookDeliveries, webhooks } from './schema.js';

/** Attempts kept per endpoint; older ones are dropped as new ones are recorded. */
export const DELIVERIES_KEPT = 200;
/**
 * The trim runs with one recorded attempt in this many (by its id), not each: it walks the
 * endpoint's newest DELIVERIES_KEPT index entries and the dead ones of earlier trims, which cost
 * more than the insert itself (0.38 ms an insert alone, 0.74-1.5 ms with a trim each time, 0.57 ms
 * with one in 16, pgbench on this machine). An endpoint holds about TRIM_EVERY attempts more at most.
 */
export const TRIM_EVERY = 16;

const publicColumns = { id: webhooks.id, url: webhooks.url, events: webhooks.events, user_id: webhooks.user_id, created_at: webhooks.created_at };
const attemptColumns = {
  event_id: webhookDeliveries.event_id,
  event_type: webhookDeliveries.event_type,
  attempt: webhookDeliveries.attempt,
  status: webhookDeliveries.status,
  response_code: webhookDeliveries.response_code,
  duration_ms: webhookDeliveries.duration_ms,
  error: webhookDeliveries.error,
  next_retry_at: webhookDeliveries.next_retry_at,
  created_at: webhookDeliveries.created_at,
};

/** WebhookRepo and WebhookTargets on PostgreSQL or PGlite. */
export class PostgresWebhooks implements WebhookRepo, WebhookTargets {
  readonly #db: Database;
  readonly #limiter: Limiter;

  constructor(connection: Pick<Connection, 'db' | 'limiter'>) {
    this.#db = connection.db;
    this.#limiter = connection.limiter;
  }

  async create(webhook: NewWebhook): Promise<Webhook> {
    const [created] = await this.#limiter.run(() =>
      this.#db
        .insert(webhooks)
        .values({ ...webhook, events: [...webhook.events] })
        .returning(publicColumns),
    );
    return created as Webhook;
  }

  async findById(id: string): Promise<Webhook | null> {
    const [found] = await this.#limiter.run(() => this.#db.select(publicColumns).from(webhooks).where(eq(webhooks.id, id)));
    return (found as Webhook | undefined) ?? null;
  }

  async list(query: WebhookQuery): Promise<Webhook[]> {
    // Byte order whatever the database's collation, as the cursor and the in-memory fake compare ids.
    const id = sql`${webhooks.id} collate "C"`;
    const rows = await this.#limiter.run(() =>
      this.#db
        .select(publicColumns)
        .from(webhooks)
        .where(and(query.user_id === undefined ? undefined : eq(webhooks.user_id, query.user_id), query.after_id === undefined ? undefined : sql`${id} > ${query.after_id}`))
        .orderBy(id)
        .limit(query.limit),
    );
    return rows as Webhook[];
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.#limiter.run(() => this.#db.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id }));
    return deleted.length > 0;
  }

  async deliveries(id: string, limit: number): Promise<DeliveryAttempt[]> {
    const rows = await this.#limiter.run(() =>
      this.#db.select(attemptColumns).from(webhookDeliveries).where(eq(webhookDeliveries.webhook_id, id)).orderBy(desc(webhookDeliveries.id)).limit(limit),
    );
    return rows as DeliveryAttempt[];
  }

  async subscribedTo(event: CatalogEvent): Promise<SubscribedEndpoint[]> {
    return this.#limiter.run(() =>
      this.#db
        .select({ id: webhooks.id, url: webhooks.url, secret: webhooks.secret })
        .from(webhooks)
        .where(and(arrayContains(webhooks.events, [event.type]), or(isNull(webhooks.user_id), eq(webhooks.user_id, event.user_id))))
        .orderBy(sql`${webhooks.id} collate "C"`),
    );
  }

  async target(id: string): Promise<WebhookTarget | null> {
    const [found] = await this.#limiter.run(() => this.#db.select({ url: webhooks.url, secret: webhooks.secret }).from(webhooks).where(eq(webhooks.id, id)));
    return found ?? null;
  }

  /**
   * One statement: inserts the attempt only while the endpoint exists (no foreign-key error for
   * one removed meanwhile), then, for one attempt in TRIM_EVERY, drops the endpoint's attempts
   * beyond the newest DELIVERIES_KEPT.
   */
  async recordAttempt(webhookId: string, attempt: Omit<DeliveryAttempt, 'created_at'>): Promise<void> {
    const nextRetry = attempt.next_retry_at?.toISOString() ?? null;
    await this.#limiter.run(() =>
      this.#db.execute(sql`
        with recorded as (
          insert into ${webhookDeliveries} (webhook_id, event_id, event_type, attempt, status, response_code, duration_ms, error, next_retry_at)
          select id, ${attempt.event_id}, ${attempt.event_type}, ${attempt.attempt}, ${attempt.status}, ${attempt.response_code},
                 ${attempt.duration_ms}, ${attempt.error}, ${nextRetry}::timestamptz
          from ${webhooks} where id = ${webhookId}
          returning id
        )
        delete from ${webhookDeliveries}
        where webhook_id = ${webhookId}
          and (select id from recorded) % ${TRIM_EVERY} = 0
          and id <= (select id from ${webhookDeliveries} where webhook_id = ${webhookId} order by id desc offset ${DELIVERIES_KEPT - 1} limit 1)`),
    );
  }
}

import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, type ApiDeps } from '../../application/index.js';
import { actorOf } from './authentication.js';
import { createRouter } from './create-router.js';
import { nextLink } from './next-link.js';
import { webhookOperations as op } from './operations/webhook-operations.js';
import { unwrap } from './problem.js';
import { createdWebhookJson, deliveryJson, webhookJson } from './schemas/webhook-schemas.js';

export interface WebhooksRoutesOptions {
  readonly deps: Pick<ApiDeps, 'webhooks' | 'crypto'>;
  /** Origin (and optional path prefix) for absolute Link URLs; else they are relative. */
  readonly publicBaseUrl?: string | undefined;
}

/** Webhook endpoints and their delivery attempts. */
export function webhooksRoutes({ deps, publicBaseUrl }: WebhooksRoutesOptions) {
  return createRouter()
    .openapi(op.create, async (c) => {
      const created = unwrap(await createWebhook(deps, c.req.valid('json'), actorOf(c)));
      return c.json(createdWebhookJson(created), 201, { Location: `/webhooks/${created.id}` });
    })
    .openapi(op.list, async (c) => {
      const page = unwrap(await listWebhooks(deps, c.req.valid('query'), actorOf(c)));
      const { cursor: _current, ...filters } = page.query;
      if (page.next_cursor) c.header('Link', nextLink(publicBaseUrl, 'webhooks', filters, page.next_cursor));
      return c.json(page.items.map(webhookJson), 200);
    })
    .openapi(op.get, async (c) => c.json(webhookJson(unwrap(await getWebhook(deps, c.req.valid('param').id, actorOf(c)))), 200))
    .openapi(op.remove, async (c) => {
      unwrap(await deleteWebhook(deps, c.req.valid('param').id, actorOf(c)));
      return c.body(null, 204);
    })
    .openapi(op.deliveries, async (c) => c.json(unwrap(await listDeliveries(deps, c.req.valid('param').id, actorOf(c))).map(deliveryJson), 200));
}

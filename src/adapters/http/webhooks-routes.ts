import { createWebhook, deleteWebhook, getWebhook, listDeliveries, type ApiDeps } from '../../application/index.js';
import { actorOf } from './authentication.js';
import { createRouter } from './create-router.js';
import { webhookOperations as op } from './operations/webhook-operations.js';
import { unwrap } from './problem.js';
import { createdWebhookJson, deliveryJson, webhookJson } from './schemas/webhook-schemas.js';

/** Webhook endpoints and their delivery attempts. */
export function webhooksRoutes(deps: Pick<ApiDeps, 'webhooks' | 'crypto'>) {
  return createRouter()
    .openapi(op.create, async (c) => {
      const created = unwrap(await createWebhook(deps, c.req.valid('json'), actorOf(c)));
      return c.json(createdWebhookJson(created), 201, { Location: `/webhooks/${created.id}` });
    })
    .openapi(op.get, async (c) => c.json(webhookJson(unwrap(await getWebhook(deps, c.req.valid('param').id, actorOf(c)))), 200))
    .openapi(op.remove, async (c) => {
      unwrap(await deleteWebhook(deps, c.req.valid('param').id, actorOf(c)));
      return c.body(null, 204);
    })
    .openapi(op.deliveries, async (c) => c.json(unwrap(await listDeliveries(deps, c.req.valid('param').id, actorOf(c))).map(deliveryJson), 200));
}

import { z } from '@hono/zod-openapi';
import { EVENT_TYPES, WEBHOOK_URL_MAX_LENGTH, type CreatedWebhook, type DeliveryAttempt, type Webhook } from '../../../application/index.js';
import type { JsonSchema } from '../../../domain/index.js';
import { documented } from './rule-schemas.js';

/** Body of POST /webhooks, passed on untouched: createWebhook checks it. */
export const NewWebhookSchema = z.unknown().openapi(
  'NewWebhook',
  documented({
    type: 'object',
    required: ['url', 'events'],
    additionalProperties: false,
    properties: {
      url: {
        type: 'string',
        format: 'uri',
        maxLength: WEBHOOK_URL_MAX_LENGTH,
        description: 'Absolute http(s) URL. Deliveries to private addresses are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true.',
        example: 'https://hooks.shop.example/catalog',
      },
      events: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', enum: [...EVENT_TYPES] },
        description: 'Event types to receive.',
        example: ['image.done', 'product.images_settled'],
      },
    },
    // The domain's JsonSchema type has no `enum`; the document does.
  } as unknown as JsonSchema),
);

export const WebhookSchema = z
  .object({
    id: z.string().openapi({ example: 'wh_3f2a9c0e8b7d6a5f4e3d2c1b' }),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    user_id: z.number().int().nullable().openapi({ description: "A user key's endpoint receives that user's products' events only; null: every product's." }),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Webhook');

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description: 'The Standard Webhooks signing secret, shown this once. Verify `webhook-signature` with any Standard Webhooks library.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('CreatedWebhook');

export const DeliveryAttemptSchema = z
  .object({
    event_id: z.string().openapi({ description: 'Also the `webhook-id` header, the same on every attempt.' }),
    event_type: z.enum(EVENT_TYPES),
    attempt: z.number().int(),
    status: z.enum(['succeeded', 'failed', 'dead']).openapi({ description: '`dead`: the last attempt failed, the delivery is in the dead-letter queue.' }),
    response_code: z.number().int().nullable().openapi({ description: "The endpoint's HTTP status; null when it did not answer." }),
    duration_ms: z.number().int(),
    error: z.string().nullable(),
    next_retry_at: z.string().nullable().openapi({ format: 'date-time', description: 'When the next attempt is due; null after a success or the last attempt.' }),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('DeliveryAttempt');

/** The wire form of an endpoint: never its secret. */
export const webhookJson = (webhook: Webhook): z.infer<typeof WebhookSchema> => ({
  id: webhook.id,
  url: webhook.url,
  events: [...webhook.events],
  user_id: webhook.user_id,
  created_at: webhook.created_at.toISOString(),
});

export const createdWebhookJson = (webhook: CreatedWebhook): z.infer<typeof CreatedWebhookSchema> => ({ ...webhookJson(webhook), secret: webhook.secret });

export const deliveryJson = (attempt: DeliveryAttempt): z.infer<typeof DeliveryAttemptSchema> => ({
  ...attempt,
  next_retry_at: attempt.next_retry_at?.toISOString() ?? null,
  created_at: attempt.created_at.toISOString(),
});

import { z } from '@hono/zod-openapi';
import { describeTask, type DeadLetter } from '../../../application/index.js';

const TASK_TYPES = ['image.process', 'object.delete', 'event.publish', 'webhook.deliver'] as const;

export const DeadLetterSchema = z
  .object({
    id: z.string().openapi({ description: 'The task id (its outbox row), the same on every attempt and replay.', example: '1842' }),
    type: z.enum(TASK_TYPES).openapi({ description: 'What the task did.' }),
    description: z.string().openapi({ description: 'The task in words, as `npm run dlq -- list` prints it.', example: 'image 7 of product 42' }),
    product_id: z.number().int().nullable().openapi({ description: "The product of an image or event task; null for the others." }),
    image_id: z.number().int().nullable(),
    webhook_id: z.string().nullable(),
    attempts: z.number().int().openapi({ description: 'Attempts made before it was dead-lettered.' }),
    reason: z.string().openapi({ description: 'Why the last attempt failed.', example: 'webhook answered 500' }),
    dead_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('DeadLetter');

export const DeadLetterListSchema = z.array(DeadLetterSchema).openapi('DeadLetterList');

export const ReplayedSchema = z.object({ replayed: z.number().int().openapi({ example: 1 }) }).openapi('Replayed');

/** A dead letter as the API shows it: the task named, its payload (an event snapshot) left out. */
export function deadLetterJson(letter: DeadLetter): z.infer<typeof DeadLetterSchema> {
  const { task } = letter;
  const product = task.type === 'image.process' ? task.product_id : task.type === 'object.delete' ? null : task.event.product_id;
  return {
    id: letter.id,
    type: task.type,
    description: describeTask(task),
    product_id: product,
    image_id: task.type === 'image.process' ? task.image_id : null,
    webhook_id: task.type === 'webhook.deliver' ? task.webhook_id : null,
    attempts: letter.attempts,
    reason: letter.reason,
    dead_at: letter.dead_at.toISOString(),
  };
}

import { z } from '@hono/zod-openapi';
import type { ApiKey } from '../../../domain/index.js';
import { UserSchema } from './user-schemas.js';

const API_KEY_TEXT = z.string().openapi({
  description: 'The key itself, shown this once: only its digest is stored. Send it as `Authorization: Bearer <api_key>`.',
  example: 'pc_live_3f2a9c0e8b7d6a5f_Jm1pX0yQe3o9b2l6sV8tQ4nR7uW1zK5cA0dF3gH6jL9',
});

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ description: 'Public; the part of the key after pc_live_. Names the key in DELETE.', example: '3f2a9c0e8b7d6a5f' }),
    role: z.enum(['admin', 'user']),
    user_id: z.number().int().nullable(),
    created_at: z.string().openapi({ format: 'date-time' }),
    last_used_at: z.string().nullable().openapi({ format: 'date-time', description: 'Updated at most once a minute; null until first use.' }),
  })
  .openapi('ApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({ api_key: API_KEY_TEXT }).openapi('CreatedApiKey');

export const CreatedUserSchema = UserSchema.extend({ api_key: API_KEY_TEXT }).openapi('CreatedUser');

/** The wire form of a key's record: never its secret. */
export const apiKeyJson = (key: ApiKey): z.infer<typeof ApiKeySchema> => ({
  id: key.id,
  role: key.role,
  user_id: key.user_id,
  created_at: key.created_at.toISOString(),
  last_used_at: key.last_used_at?.toISOString() ?? null,
});

import { z } from '@hono/zod-openapi';
import { NEW_USER, type User } from '../../../domain/index.js';
import { bodySchema } from './rule-schemas.js';

/** Body of POST /users; createUser checks it, the email's uniqueness included. */
export const NewUserSchema = bodySchema('NewUser', NEW_USER);

export const UserSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    email: z.string(),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('User');

/** The wire form of a user. */
export const userJson = (user: User): z.infer<typeof UserSchema> => ({
  id: user.id,
  name: user.name,
  email: user.email,
  created_at: user.created_at.toISOString(),
});

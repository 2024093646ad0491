import { z } from '@hono/zod-openapi';
import { LIMITS, type User } from '../../../domain/index.js';
import { expected, maxChars, notBlank } from './field-rules.js';

/** Body of POST /users; the email's shape and uniqueness are checked by createUser. */
export const NewUserSchema = z
  .strictObject({
    name: z
      .string(expected('a string'))
      .max(LIMITS.userNameMaxLength, maxChars(LIMITS.userNameMaxLength))
      .refine(notBlank, 'must not be empty')
      .openapi({ minLength: 1, example: 'Ada Lovelace' }),
    email: z
      .string(expected('a string'))
      .max(LIMITS.emailMaxLength, maxChars(LIMITS.emailMaxLength))
      .openapi({ format: 'email', description: 'Unique regardless of case; stored lower-cased.', example: 'ada@example.com' }),
  })
  .openapi('NewUser');

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

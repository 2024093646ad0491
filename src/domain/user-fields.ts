import { email, text } from './field-rule.js';
import { recordSpec } from './validation.js';

/** The fields of a new user, in the order they are checked and documented. */
export const USER_FIELDS = {
  name: text({ minLength: 1, maxLength: 200 }, { example: 'Ada Lovelace' }),
  email: email(
    { minLength: 3, maxLength: 320 },
    { description: 'Unique regardless of case; stored lower-cased.', example: 'ada@lovelace.example' },
  ),
};

/** A new user: every field. */
export const NEW_USER = recordSpec(USER_FIELDS);

/** Email addresses compare case-insensitively and without surrounding space. */
export const normalizeEmail = (address: string): string => address.trim().toLowerCase();

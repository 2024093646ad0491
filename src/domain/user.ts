import type { FieldValues } from './field-rule.js';
import type { USER_FIELDS } from './user-fields.js';

/** The fields a client sets on a new user, one per rule in `USER_FIELDS`. */
export type NewUser = FieldValues<typeof USER_FIELDS>;

export interface User extends NewUser {
  readonly id: number;
  readonly created_at: Date;
}

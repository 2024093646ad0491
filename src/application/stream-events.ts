import { ADMIN, err, ok, parseId, validationFailed, type Actor, type DomainError, type FieldError, type Result } from '../domain/index.js';
import type { EventFilter } from './event-feed.js';
import { EVENT_TYPES, type EventType } from './events.js';
import { forbidden } from './forbidden.js';

/** The GET /events query as received: each parameter absent or its text. */
export interface EventQuery {
  readonly product_id?: string | undefined;
  readonly user_id?: string | undefined;
  /** One type, or several separated by commas. */
  readonly type?: string | undefined;
}

/**
 * Checks a subscription's filters. A user key sees its own user's events only: without `user_id`
 * it gets them, with another user's it is refused.
 */
export function eventFilterOf(query: EventQuery, actor: Actor = ADMIN): Result<EventFilter, DomainError> {
  const problems: FieldError[] = [];
  const id = (name: 'product_id' | 'user_id') => {
    const text = query[name];
    if (text === undefined) return undefined;
    const parsed = parseId(text);
    if (parsed === null) problems.push({ path: name, message: 'must be a positive integer' });
    return parsed ?? undefined;
  };
  const product_id = id('product_id');
  let user_id = id('user_id');
  const types = query.type === undefined ? undefined : query.type.split(',').map((type) => type.trim());
  types?.forEach((type, index) => {
    if (!(EVENT_TYPES as readonly string[]).includes(type)) problems.push({ path: `type[${index}]`, message: `must be one of ${EVENT_TYPES.join(', ')}` });
  });
  if (problems.length > 0) return err(validationFailed(problems));
  if (actor.kind === 'user') {
    if (user_id !== undefined && user_id !== actor.userId) return err(forbidden("follow another user's events"));
    user_id = actor.userId;
  }
  return ok({ product_id, user_id, types: types as EventType[] | undefined });
}

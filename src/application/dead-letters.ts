import { domainError, err, ok, type DomainError, type Result } from '../domain/index.js';
import type { DeadLetter, DeadLetters } from './ports/index.js';

/** Dead letters for operators to inspect, oldest first. */
export const listDeadLetters = (deps: { deadLetters: DeadLetters }, limit = 100): Promise<DeadLetter[]> => deps.deadLetters.list(limit);

/** Re-drives dead letters (all, or the given ids) with a fresh attempt count. */
export const replayDeadLetters = (deps: { deadLetters: DeadLetters }, ids: 'all' | readonly string[]): Promise<number> =>
  deps.deadLetters.replay(ids);

/** Re-drives one dead letter; dead_letter.not_found when no dead letter has that id (any more). */
export async function replayDeadLetter(deps: { deadLetters: DeadLetters }, id: string): Promise<Result<void, DomainError>> {
  const replayed = await deps.deadLetters.replay([id]);
  return replayed > 0 ? ok(undefined) : err(domainError('dead_letter.not_found', `No dead letter ${id.slice(0, 80)}.`));
}

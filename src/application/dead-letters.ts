import type { DeadLetter, DeadLetters } from './ports/index.js';

/** Dead letters for operators to inspect, oldest first. */
export const listDeadLetters = (deps: { deadLetters: DeadLetters }, limit = 100): Promise<DeadLetter[]> => deps.deadLetters.list(limit);

/** Re-drives dead letters (all, or the given ids) with a fresh attempt count. */
export const replayDeadLetters = (deps: { deadLetters: DeadLetters }, ids: 'all' | readonly string[]): Promise<number> =>
  deps.deadLetters.replay(ids);

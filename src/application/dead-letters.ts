import type { DeadLetter, TaskQueue } from './ports/index.js';

/** Dead letters for operators to inspect, oldest first. */
export const listDeadLetters = (deps: { queue: TaskQueue }, limit = 100): Promise<DeadLetter[]> =>
  deps.queue.listDeadLetters(limit);

/** Re-drives dead letters (all, or the given ids) with a fresh attempt count. */
export const replayDeadLetters = (deps: { queue: TaskQueue }, ids: 'all' | readonly string[]): Promise<number> =>
  deps.queue.replayDeadLetters(ids);

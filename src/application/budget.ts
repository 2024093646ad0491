/** Part of a budget held by one job; give it back with `release` (once; later calls do nothing). */
export interface Hold {
  /** What this hold has now. */
  readonly amount: number;
  /** Gives back all but `amount` (a hold only shrinks: asking for more keeps what it has). */
  shrink(amount: number): void;
  release(): void;
}

/**
 * A counting budget shared by concurrent jobs: the worker's bytes in flight, or its CPU slots
 * (a budget of `WORKER_CONCURRENCY` units, one per compression).
 */
export interface Budget {
  /**
   * Resolves once `amount` fits, first come first served, with a hold of it. An amount above the
   * whole budget is capped to it: such a job waits until it has the budget to itself.
   */
  acquire(amount: number): Promise<Hold>;
  /** Held right now. */
  readonly held: number;
  /** Jobs waiting for their share. */
  readonly waiting: number;
}

/** Runs `work` while holding `amount` of `budget`; the hold is released however `work` ends. */
export async function within<T>(budget: Budget, amount: number, work: () => Promise<T>): Promise<T> {
  const hold = await budget.acquire(amount);
  try {
    return await work();
  } finally {
    hold.release();
  }
}

/** A budget of `capacity` units, in memory; waiters are served in order, so a large one is never starved. */
export function budget(capacity: number): Budget {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a budget must be a positive integer, got ${capacity}`);
  let held = 0;
  const queue: { amount: number; grant: () => void }[] = [];
  const drain = () => {
    // Strict order: the head waits for its room even when a smaller one behind it would fit.
    while (queue.length > 0 && held + queue[0]!.amount <= capacity) {
      const next = queue.shift()!;
      held += next.amount;
      next.grant();
    }
  };
  const holdOf = (initial: number): Hold => {
    let amount = initial;
    const giveBack = (to: number) => {
      held -= amount - to;
      amount = to;
      drain();
    };
    return {
      get amount() {
        return amount;
      },
      shrink: (to) => {
        if (to < amount) giveBack(Math.max(0, Math.ceil(to)));
      },
      release: () => giveBack(0),
    };
  };
  return {
    get held() {
      return held;
    },
    get waiting() {
      return queue.length;
    },
    acquire(requested) {
      if (!(requested >= 0)) throw new RangeError(`an amount must be a number >= 0, got ${requested}`);
      const amount = Math.min(capacity, Math.ceil(requested));
      return new Promise<Hold>((resolve) => {
        queue.push({ amount, grant: () => resolve(holdOf(amount)) });
        drain();
      });
    },
  };
}

/** Gives back a slot; a second call does nothing. */
export type ReleaseSlot = () => void;

/** Bounds how many deliveries to one endpoint run at once in this process. */
export interface EndpointSlots {
  /**
   * A slot for `endpoint` and the function that gives it back, waiting up to `waitMs` (0: not at
   * all) for one to be given back, first come, first served; null when none came in time.
   */
  acquire(endpoint: string, waitMs: number): Promise<ReleaseSlot | null>;
  /**
   * Records that `endpoint` was refused a slot; true for the first refusal since it last gave one
   * back (for a log line per saturation, not per refusal).
   */
  refused(endpoint: string): boolean;
}

/**
 * At most `max` slots per endpoint; counts and waiters live in memory and vanish with the last
 * release. A slot given back while a delivery waits for one goes to it directly.
 */
export function endpointSlots(max: number): EndpointSlots {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`slots per endpoint must be a positive integer, got ${max}`);
  const taken = new Map<string, number>();
  const waiting = new Map<string, ((release: ReleaseSlot) => void)[]>();
  const saturated = new Set<string>();
  const releaser = (endpoint: string): ReleaseSlot => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const queue = waiting.get(endpoint);
      const next = queue?.shift();
      if (queue?.length === 0) waiting.delete(endpoint);
      // Handed on: the endpoint stays at its cap, so it is still saturated.
      if (next) return next(releaser(endpoint));
      const left = taken.get(endpoint)! - 1;
      if (left === 0) taken.delete(endpoint);
      else taken.set(endpoint, left);
      saturated.delete(endpoint);
    };
  };
  const take = (endpoint: string): ReleaseSlot | null => {
    const count = taken.get(endpoint) ?? 0;
    if (count >= max) return null;
    taken.set(endpoint, count + 1);
    return releaser(endpoint);
  };
  return {
    acquire(endpoint, waitMs) {
      const release = take(endpoint);
      if (release || waitMs <= 0) return Promise.resolve(release);
      return new Promise((resolve) => {
        const queue = waiting.get(endpoint) ?? [];
        waiting.set(endpoint, queue);
        const waiter = (handed: ReleaseSlot) => {
          clearTimeout(timer);
          resolve(handed);
        };
        queue.push(waiter);
        const timer = setTimeout(() => {
          queue.splice(queue.indexOf(waiter), 1);
          if (queue.length === 0 && waiting.get(endpoint) === queue) waiting.delete(endpoint);
          resolve(null);
        }, waitMs);
      });
    },
    refused(endpoint) {
      if (saturated.has(endpoint)) return false;
      saturated.add(endpoint);
      return true;
    },
  };
}

/** Bounds how many deliveries to one endpoint run at once in this process. */
export interface EndpointSlots {
  /** A slot for `endpoint` and the function that gives it back, or null when all its slots are taken. */
  take(endpoint: string): (() => void) | null;
  /**
   * Records that `endpoint` was refused a slot; true for the first refusal since it last gave one
   * back (for a log line per saturation, not per refusal).
   */
  refused(endpoint: string): boolean;
}

/** At most `max` slots per endpoint; counts live in memory and vanish with the last release. */
export function endpointSlots(max: number): EndpointSlots {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`slots per endpoint must be a positive integer, got ${max}`);
  const taken = new Map<string, number>();
  const saturated = new Set<string>();
  return {
    refused(endpoint) {
      if (saturated.has(endpoint)) return false;
      saturated.add(endpoint);
      return true;
    },
    take(endpoint) {
      const count = taken.get(endpoint) ?? 0;
      if (count >= max) return null;
      taken.set(endpoint, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = taken.get(endpoint)! - 1;
        if (left === 0) taken.delete(endpoint);
        else taken.set(endpoint, left);
        saturated.delete(endpoint);
      };
    },
  };
}

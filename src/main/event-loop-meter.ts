import { performance } from 'node:perf_hooks';

/** The share of the time since the last call (or since creation) this process's event loop was busy, 0 to 1. */
export function eventLoopMeter(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

import { vi } from 'vitest';

/** How long any wait may take, and how often it looks; nothing is asserted about the duration. */
export const EVENTUALLY = { timeout: 20_000, interval: 10 } as const;

/**
 * The one polling helper: runs `check` until it stops throwing (an `expect` inside it passes) and
 * returns its value; fails with the last error once `timeout` ms have passed.
 */
export const eventually = <T>(check: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}): Promise<T> =>
  vi.waitFor(check, { ...EVENTUALLY, ...options });

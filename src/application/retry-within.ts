/** How long to keep trying, how long to wait between tries, and what to do after each failure. */
export interface RetryWithinOptions {
  readonly withinMs: number;
  readonly everyMs: number;
  readonly onRetry?: (error: unknown) => void;
}

/**
 * Runs `task` until it resolves, waiting `everyMs` after each failure, and rethrows the last
 * failure once `withinMs` have passed: for a dependency that may still be starting.
 */
export async function retryWithin<T>(task: () => Promise<T>, { withinMs, everyMs, onRetry }: RetryWithinOptions): Promise<T> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    try {
      return await task();
    } catch (error) {
      if (performance.now() >= deadline) throw error;
      onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

import type { Logger, Outbox, TaskPublisher } from './ports/index.js';

export interface OutboxRelayOptions {
  /** Messages claimed per round. */
  readonly batchSize?: number;
  /** Fallback poll when no notification arrives (a missed NOTIFY, another writer). */
  readonly pollIntervalMs?: number;
  /** Wait after a failed round (broker down) before trying again. */
  readonly retryDelayMs?: number;
}

export interface OutboxRelay {
  /** Runs a round now instead of waiting for the next poll. */
  wake(): void;
  /** Finishes the round in progress and stops. */
  stop(): Promise<void>;
}

/**
 * Moves committed outbox messages to the queue: woken by notifications, polling as a
 * fallback. When publishing fails (broker down) the messages stay in the outbox and the relay
 * retries after a pause, so the API keeps accepting writes and nothing is lost.
 */
export async function startOutboxRelay(
  deps: { outbox: Outbox; publisher: TaskPublisher; logger: Logger },
  options: OutboxRelayOptions = {},
): Promise<OutboxRelay> {
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  let running = true;
  let wakeUp: (() => void) | undefined;
  let pendingWake = false;

  const wake = () => {
    pendingWake = true;
    wakeUp?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pendingWake || !running) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const unsubscribe = await deps.outbox.onAdded(wake);
  let failing = false;
  const loop = (async () => {
    while (running) {
      pendingWake = false;
      try {
        const sent = await deps.outbox.relay(batchSize, (messages) => deps.publisher.publish(messages));
        if (failing) deps.logger.info({ sent }, 'outbox relay recovered');
        failing = false;
        if (sent > 0) deps.logger.info({ sent }, 'outbox messages published');
        if (sent === batchSize) continue; // more may be waiting
        await pause(pollIntervalMs);
      } catch (error) {
        if (!failing) deps.logger.warn({ err: error }, 'outbox relay failed; messages stay in the outbox');
        failing = true;
        await pause(retryDelayMs);
      }
    }
  })();

  return {
    wake,
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      await unsubscribe();
    },
  };
}

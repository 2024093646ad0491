import type { Logger } from 'pino';

/** Something opened at startup that must be released at shutdown. */
export interface Closer {
  readonly name: string;
  close(): Promise<void>;
}

/** Closes in the reverse order of opening; one failure is logged and does not stop the rest. */
export async function closeAll(closers: readonly Closer[], logger: Logger): Promise<void> {
  for (const closer of [...closers].reverse()) {
    try {
      await closer.close();
    } catch (error) {
      logger.error({ err: error, adapter: closer.name }, 'closing adapter failed');
    }
  }
}

import type { Logger } from 'pino';

/** What every request carries through the Hono context (`c.var`). */
export interface HttpEnv {
  Variables: {
    /** The inbound `X-Request-Id` when well-formed, else a fresh UUID; echoed on the response. */
    requestId: string;
    /** A child logger bound to `request_id`. */
    logger: Logger;
  };
}

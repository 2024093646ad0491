import type { Logger } from 'pino';
import type { Authenticator, RateLimits } from '../../application/index.js';
import type { Actor } from '../../domain/index.js';

/** How the app checks keys: set once per request by createHttpApp, read by the access guards. */
export interface AuthSettings {
  readonly authenticator: Authenticator;
  /** Whether product reads are open to requests without a key (true by default). */
  readonly publicReads: boolean;
  /** Quotas per key and per client address; none when unset. */
  readonly rateLimits?: RateLimits | undefined;
}

/** What every request carries through the Hono context (`c.var`). */
export interface HttpEnv {
  Variables: {
    /** The inbound `X-Request-Id` when well-formed, else a fresh UUID; echoed on the response. */
    requestId: string;
    /** A child logger bound to `request_id`. */
    logger: Logger;
    auth: AuthSettings;
    /** Who the request's key acts for; unset for an anonymous read. */
    actor: Actor | undefined;
    /** The request's span as a W3C `traceparent`, stored with the tasks it queues; unset when not traced. */
    traceparent: string | undefined;
  };
}

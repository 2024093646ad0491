import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { Logger } from 'pino';
import type { ApiDeps, MetricsExposition, RequestMetrics, Tracer } from '../../application/index.js';
import { accessLog } from './access-log.js';
import { adminRoutes } from './admin-routes.js';
import { authSettings } from './authentication.js';
import { createRouter } from './create-router.js';
import { deadLettersRoutes } from './dead-letters-routes.js';
import { docsRoutes } from './docs-routes.js';
import { errorHandler } from './error-handler.js';
import { eventTokens } from './event-tokens.js';
import { eventsRoutes, eventTokenRoutes } from './events-routes.js';
import { filesRoutes } from './files-routes.js';
import { healthRoutes } from './health-routes.js';
import type { HttpEnv } from './http-env.js';
import { imageRetryRoutes } from './image-retry-routes.js';
import { imagesRoutes } from './images-routes.js';
import { UPLOAD_ENVELOPE_BYTES } from './upload-limits.js';
import { httpLogger } from './log-redaction.js';
import { ProblemError } from './problem.js';
import { problemResponse } from './problem-response.js';
import { isNdjson } from './bulk-body.js';
import { bulkRoutes } from './bulk-routes.js';
import { productsRoutes } from './products-routes.js';
import { requestContext } from './request-context.js';
import { tracing } from './tracing.js';
import { usersRoutes } from './users-routes.js';
import { webhooksRoutes } from './webhooks-routes.js';

export interface HttpAppOptions {
  readonly deps: ApiDeps;
  readonly logger: Logger;
  /** Origin (and optional path prefix) clients reach the API at, for absolute links; else each request's origin. */
  readonly publicBaseUrl?: string | undefined;
  /** Largest accepted request body; 1 MiB by default. */
  readonly bodyLimitBytes?: number | undefined;
  /** Largest accepted image upload; 25 MiB by default. */
  readonly uploadMaxBytes?: number | undefined;
  /** Serve the object store under /files (the embedded store; S3 serves its own URLs). */
  readonly serveFiles?: boolean | undefined;
  /** Uploads received at once (default 4); see imagesRoutes. */
  readonly uploadConcurrency?: number | undefined;
  /** Where uploads are spooled while received (the system's temporary directory by default). */
  readonly uploadTmpDir?: string | undefined;
  /** How long an upload waits for a free slot before 503 service.busy (default 2 s). */
  readonly uploadSlotWaitMs?: number | undefined;
  /** Bytes of JSON one list page may have (1 MiB by default); see productsRoutes. */
  readonly listMaxBytes?: number | undefined;
  /** Whether product reads need no key (true by default; AUTH_PUBLIC_READS). */
  readonly publicReads?: boolean | undefined;
  /** Signs the event stream's browser tokens (POST /events/tokens); a random one per process when unset. */
  readonly eventsTokenSecret?: string | undefined;
  /** The admin console's build (dist/admin); served at /admin/ when set. */
  readonly adminDir?: string | undefined;
  /** Heartbeat interval of GET /events (15 s by default). */
  readonly eventsHeartbeatMs?: number | undefined;
  /** Request durations go here, and /metrics renders it (process, pipeline and adapter figures). */
  readonly metrics?: (RequestMetrics & MetricsExposition) | undefined;
  /** A span per request, continuing an incoming `traceparent`; no tracing without it. */
  readonly tracer?: Tracer | undefined;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;
const UPLOAD_PATH = /^\/products\/[^/]+\/images$/;
const BULK_PATH = '/products/bulk';
/** A bulk JSON array is read whole: up to 1,000 ordinary products fit; larger imports stream NDJSON. */
export const BULK_JSON_MAX_BYTES = 16 * 1024 * 1024;

/** 413 before reading when the declared Content-Length is over `maxSize`; an undeclared length is counted by whoever reads. */
const declaredLengthLimit =
  (maxSize: number): MiddlewareHandler<HttpEnv> =>
  async (c, next) => {
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > maxSize) throw new ProblemError('request.too_large', `The request body is over ${maxSize} bytes.`);
    await next();
  };

const limit = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ProblemError('request.too_large', `The request body is over ${maxSize} bytes.`);
    },
  });

/**
 * An answer given before the request's body was read to its end (a 413 or 415, a 404 for an
 * upload to a missing product, a refused multipart envelope) says `Connection: close`: the
 * server will not read the rest, so the client must not send its next request on this socket.
 */
const closeWhenBodyUnread: MiddlewareHandler<HttpEnv> = async (c, next) => {
  await next();
  // Only @hono/node-server passes the Node request; app.request() in tests has no socket to close.
  const incoming = (c.env as { incoming?: { complete?: boolean } } | undefined)?.incoming;
  if (incoming && incoming.complete === false) c.res.headers.set('Connection', 'close');
};

/**
 * The whole HTTP API as a Hono app: users, products, health, OpenAPI document and docs, with
 * request ids, one access log line per request and problem+json errors. Serve it with any
 * Hono adapter, or drive it with `app.request()` in tests.
 */
export function createHttpApp(options: HttpAppOptions): OpenAPIHono<HttpEnv> {
  const { deps, publicBaseUrl } = options;
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const uploadMaxBytes = options.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
  const app = createRouter();

  // Order matters: the context and access log wrap everything, so even a 405/413 is logged
  // with its request id.
  app.use(requestContext(httpLogger(options.logger)));
  if (options.tracer) app.use(tracing(options.tracer));
  app.use(accessLog(options.metrics));
  app.use(authSettings({ authenticator: deps.authenticator, publicReads: options.publicReads ?? true, rateLimits: deps.rateLimits }));
  app.use(closeWhenBodyUnread);
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        c.header('Allow', methods.join(', '));
        return problemResponse(c, new ProblemError('method.not_allowed', `${c.req.method} is not allowed here; use ${methods.join(', ')}.`));
      },
    }),
  );
  // JSON bodies are read whole anyway, so hono's limit may buffer them (up to 1 MiB). Uploads are
  // streamed: only a declared length is checked here, the parser counts the rest as it reads.
  const jsonLimit = limit(bodyLimitBytes);
  const uploadLimit = declaredLengthLimit(uploadMaxBytes + UPLOAD_ENVELOPE_BYTES);
  // An NDJSON bulk body is streamed and bounded per line (bulk-routes.ts), not as a whole.
  const bulkLimit = limit(BULK_JSON_MAX_BYTES);
  // GET and HEAD carry no body; skipping them spares materialising the fetch Request that
  // @hono/node-server otherwise builds lazily (about 7 % of a cached GET).
  app.use((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.path === BULK_PATH) return isNdjson(c.req.header('content-type')) ? next() : bulkLimit(c, next);
    return UPLOAD_PATH.test(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next);
  });

  app.route('/', healthRoutes(deps, options.metrics));
  app.route('/', usersRoutes(deps));
  app.route('/', bulkRoutes({ deps, maxLineBytes: bodyLimitBytes }));
  app.route('/', productsRoutes({ deps, publicBaseUrl, listMaxBytes: options.listMaxBytes }));
  app.route('/', imagesRoutes({ ...options, deps, uploadMaxBytes }));
  app.route('/', imageRetryRoutes(deps));
  app.route('/', webhooksRoutes({ deps, publicBaseUrl }));
  app.route('/', deadLettersRoutes(deps));
  const tokens = eventTokens({ secret: options.eventsTokenSecret });
  app.route('/', eventTokenRoutes(tokens));
  if (deps.eventFeed) app.route('/', eventsRoutes({ feed: deps.eventFeed, tokens, heartbeatMs: options.eventsHeartbeatMs }));
  if (options.serveFiles) app.route('/', filesRoutes(deps));
  if (options.adminDir !== undefined) app.route('/', adminRoutes(options.adminDir));
  docsRoutes(app, publicBaseUrl);

  app.notFound((c) => problemResponse(c, new ProblemError('route.not_found', `No route for ${c.req.method} ${c.req.path}.`)));
  app.onError(errorHandler);
  return app;
}

import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { Logger } from 'pino';
import type { ApiDeps } from '../../application/index.js';
import { accessLog } from './access-log.js';
import { createRouter } from './create-router.js';
import { docsRoutes } from './docs-routes.js';
import { errorHandler } from './error-handler.js';
import { filesRoutes } from './files-routes.js';
import { healthRoutes } from './health-routes.js';
import type { HttpEnv } from './http-env.js';
import { imagesRoutes } from './images-routes.js';
import { httpLogger } from './log-redaction.js';
import { ProblemError } from './problem.js';
import { problemResponse } from './problem-response.js';
import { productsRoutes } from './products-routes.js';
import { requestContext } from './request-context.js';
import { usersRoutes } from './users-routes.js';

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
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;
const UPLOAD_PATH = /^\/products\/[^/]+\/images$/;

const limit = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ProblemError('request.too_large', `The request body is over ${maxSize} bytes.`);
    },
  });

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
  app.use(accessLog);
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        c.header('Allow', methods.join(', '));
        return problemResponse(c, new ProblemError('method.not_allowed', `${c.req.method} is not allowed here; use ${methods.join(', ')}.`));
      },
    }),
  );
  // Uploads get their own, larger bound (plus room for the multipart envelope).
  const jsonLimit = limit(bodyLimitBytes);
  const uploadLimit = limit(uploadMaxBytes + 64 * 1024);
  // GET and HEAD carry no body; skipping them spares materialising the fetch Request that
  // @hono/node-server otherwise builds lazily (about 7 % of a cached GET).
  app.use((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return UPLOAD_PATH.test(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next);
  });

  app.route('/', healthRoutes(deps));
  app.route('/', usersRoutes(deps));
  app.route('/', productsRoutes({ deps, publicBaseUrl }));
  app.route('/', imagesRoutes({ deps, uploadMaxBytes }));
  if (options.serveFiles) app.route('/', filesRoutes(deps));
  docsRoutes(app, publicBaseUrl);

  app.notFound((c) => problemResponse(c, new ProblemError('route.not_found', `No route for ${c.req.method} ${c.req.path}.`)));
  app.onError(errorHandler);
  return app;
}

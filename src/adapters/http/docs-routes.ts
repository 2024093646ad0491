import type { OpenAPIHono } from '@hono/zod-openapi';
import { SwaggerUI } from '@hono/swagger-ui';
import type { HttpEnv } from './http-env.js';
import type { z } from '@hono/zod-openapi';
import { docsOperations, type OpenApiDocumentSchema } from './operations/docs-operations.js';

const TITLE = 'Product catalog API';

const DESCRIPTION = [
  'Products with asynchronously compressed images.',
  'Every error is RFC 9457 application/problem+json with a stable `code`; `type` is `/problems/<code>`.',
  'Unknown routes answer 404 route.not_found; a known path with another method answers 405 method.not_allowed.',
].join('\n\n');

const TAGS = [
  { name: 'products', description: "Products, their image URLs and uploads, and the state of each image's processing." },
  { name: 'users', description: 'Product owners.' },
  { name: 'files', description: 'Stored images, served by the service itself when it keeps them (no S3 bucket).' },
  { name: 'operations', description: 'Liveness, readiness, metrics and this documentation.' },
];

// Relative, so the page works under a path prefix too. Swagger UI's assets come from a CDN,
// pinned to a major version so a release cannot change the page unannounced.
const docsPage = (): string => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${TITLE}</title>
  </head>
  <body>
    ${SwaggerUI({ url: './openapi.json', version: '5' })}
  </body>
</html>`;

/**
 * GET /openapi.json (built from the routes' zod schemas on first request, then kept) and
 * GET /docs (Swagger UI). Registered on the root app, whose registry holds every route.
 */
export function docsRoutes(app: OpenAPIHono<HttpEnv>, publicBaseUrl?: string): void {
  let document: z.infer<typeof OpenApiDocumentSchema> | undefined;
  let page: string | undefined;
  app
    .openapi(docsOperations.openapi, (c) => {
      document ??= app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: TITLE, version: '1.0.0', description: DESCRIPTION, license: { name: 'MIT', url: 'https://spdx.org/licenses/MIT.html' } },
        // Relative: wherever this document was fetched from, unless the API has a public address.
        servers: [publicBaseUrl ? { url: publicBaseUrl } : { url: '/', description: 'The origin this document was fetched from.' }],
        tags: TAGS,
      });
      return c.json(document, 200);
    })
    .openapi(docsOperations.docs, (c) => c.html((page ??= docsPage()), 200));
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from '@hono/zod-openapi';
import type { HttpEnv } from './http-env.js';
import { docsOperations, type OpenApiDocumentSchema } from './operations/docs-operations.js';
import { BEARER_SCHEME, BEARER_SECURITY_SCHEME } from './operations/security.js';
import { ProblemError } from './problem.js';

const TITLE = 'Product catalog API';

const DESCRIPTION = [
  'Products with asynchronously compressed images.',
  'Every error is RFC 9457 application/problem+json with a stable `code`; `type` is `/problems/<code>`.',
  'Unknown routes answer 404 route.not_found; a known path with another method answers 405 method.not_allowed.',
  'Writes need an API key (`Authorization: Bearer <key>`); reads are public unless the service runs with AUTH_PUBLIC_READS=false. Use Authorize to try them here.',
].join('\n\n');

const TAGS = [
  { name: 'products', description: "Products, their image URLs and uploads, and the state of each image's processing." },
  { name: 'users', description: 'Product owners.' },
  { name: 'images', description: 'Renditions of processed images, chosen by width and Accept.' },
  { name: 'webhooks', description: 'Signed (Standard Webhooks) notifications of product and image events, with their delivery attempts.' },
  { name: 'files', description: 'Stored images, served by the service itself when it keeps them (no S3 bucket).' },
  { name: 'operations', description: 'Liveness, readiness, metrics and this documentation.' },
];

// Swagger UI's own files, from the swagger-ui-dist package, served under /docs/assets so the
// page works offline and behind an air gap; the start script below is ours.
const DIST_FILES = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;

// No inline script, so the page's CSP needs nothing but 'self'. No validator badge: Swagger UI
// would otherwise load an image from validator.swagger.io.
const START_SCRIPT = `window.addEventListener('load', () => {
  const root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    domNode: root,
    deepLinking: true,
    displayOperationId: true,
    validatorUrl: null,
  });
});
`;

/** Only this origin; data: for the icons swagger-ui.css inlines. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly type: string;
}

interface DocsAssets {
  /** Part of every asset URL: changes whenever an asset does, so they may be cached forever. */
  readonly version: string;
  readonly files: ReadonlyMap<string, Asset>;
}

async function loadAssets(): Promise<DocsAssets> {
  const require = createRequire(import.meta.url);
  const files = new Map<string, Asset>();
  for (const [name, type] of Object.entries(DIST_FILES)) {
    files.set(name, { body: new Uint8Array(await readFile(require.resolve(`swagger-ui-dist/${name}`))), type });
  }
  files.set('start.js', { body: new TextEncoder().encode(START_SCRIPT), type: 'text/javascript; charset=utf-8' });
  const hash = createHash('sha256');
  for (const [name, { body }] of files) hash.update(name).update(body);
  return { version: hash.digest('hex').slice(0, 16), files };
}

// Relative URLs, so the page works under a path prefix too.
const docsPage = ({ version }: DocsAssets): string => {
  const asset = (name: keyof typeof DIST_FILES | 'start.js') => `./docs/assets/${version}/${name}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${TITLE}</title>
    <link rel="icon" type="image/png" href="${asset('favicon-32x32.png')}" />
    <link rel="stylesheet" href="${asset('swagger-ui.css')}" />
  </head>
  <body>
    <div id="swagger-ui" data-openapi='./openapi.json'></div>
    <script src="${asset('swagger-ui-bundle.js')}"></script>
    <script src="${asset('start.js')}"></script>
  </body>
</html>`;
};

/**
 * GET /openapi.json (built from the routes' zod schemas on first request, then kept),
 * GET /docs (Swagger UI) and the page's assets under /docs/assets, all from the service itself.
 * Registered on the root app, whose registry holds every route.
 */
export function docsRoutes(app: OpenAPIHono<HttpEnv>, publicBaseUrl?: string): void {
  let document: z.infer<typeof OpenApiDocumentSchema> | undefined;
  // Read on the first request for the page or an asset, never at import time.
  let assets: Promise<DocsAssets> | undefined;
  const loaded = () =>
    (assets ??= loadAssets().catch((error: unknown) => {
      assets = undefined; // a failed read is tried again by the next request
      throw error;
    }));
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER_SCHEME, BEARER_SECURITY_SCHEME);
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
    .openapi(docsOperations.docs, async (c) =>
      c.html(docsPage(await loaded()), 200, { 'Content-Security-Policy': DOCS_CSP, 'Cache-Control': 'no-cache' }),
    );
  // Not an API operation, so not in the document.
  app.get('/docs/assets/:version/:name', async (c) => {
    const { version, files } = await loaded();
    const asset = c.req.param('version') === version ? files.get(c.req.param('name')) : undefined;
    if (!asset) throw new ProblemError('route.not_found', `No documentation asset ${c.req.path.slice(0, 120)}.`);
    return c.body(asset.body, 200, {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  });
}

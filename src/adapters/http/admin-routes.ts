import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createRouter } from './create-router.js';
import { ProblemError } from './problem.js';

/** Only this origin, images from anywhere (renditions may live on an S3 host); no inline code. */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: http: https:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface Console {
  readonly index: string;
  readonly assets: ReadonlyMap<string, { readonly body: Uint8Array<ArrayBuffer>; readonly type: string }>;
}

async function loadConsole(dir: string): Promise<Console> {
  const index = await readFile(join(dir, 'index.html'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new ProblemError('route.not_found', 'The admin console is not built: run npm run build.');
    throw error;
  });
  const assets = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string }>();
  for (const name of await readdir(join(dir, 'assets')).catch(() => [])) {
    assets.set(name, { body: new Uint8Array(await readFile(join(dir, 'assets', name))), type: TYPES[extname(name)] ?? 'application/octet-stream' });
  }
  return { index, assets };
}

/**
 * GET /admin/ (the console's page, from `dir`: the Vite build in dist/admin) and its assets under
 * /admin/assets, whose hashed names let them be cached forever. Read on the first request and
 * kept; a console that is not built answers 404 with how to build it. Not API operations, so not
 * in the OpenAPI document.
 */
export function adminRoutes(dir: string) {
  let loaded: Promise<Console> | undefined;
  const consoleFiles = () =>
    (loaded ??= loadConsole(dir).catch((error: unknown) => {
      loaded = undefined; // a build made after start is found by the next request
      throw error;
    }));
  return createRouter()
    .get('/admin', (c) => c.redirect('admin/', 301))
    .get('/admin/', async (c) =>
      c.html((await consoleFiles()).index, 200, { 'Content-Security-Policy': ADMIN_CSP, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }),
    )
    .get('/admin/assets/:name', async (c) => {
      const asset = (await consoleFiles()).assets.get(c.req.param('name'));
      if (!asset) throw new ProblemError('route.not_found', `No console asset ${c.req.path.slice(0, 120)}.`);
      return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' });
    });
}

import { memoryApiDeps } from '../../support/memory-deps.js';
import { appWith } from './http-harness.js';

/** The OpenAPI document as the app serves it, every route included (/files too), on the in-memory fakes. */
export async function servedDocument(options: { publicBaseUrl?: string } = {}): Promise<Record<string, unknown>> {
  const { app } = appWith(memoryApiDeps().deps, { serveFiles: true, ...options });
  const response = await app.request('/openapi.json');
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

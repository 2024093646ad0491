import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../../src/adapters/http/index.js';
import { appWith, problemOf, type Http } from '../support/http-harness.js';

type Operation = {
  operationId?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: { $ref?: string } }> }>;
};
type Schema = { properties: Record<string, { enum?: unknown[] }>; allOf?: Schema[]; $ref?: string };
type Document = {
  openapi: string;
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation & { security?: Record<string, string[]>[] }>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
};

const OPERATION_IDS = {
  'GET /healthz': 'checkLiveness',
  'GET /readyz': 'checkReadiness',
  'GET /metrics': 'getMetrics',
  'POST /users': 'createUser',
  'GET /users/{id}': 'getUser',
  'POST /users/{id}/api-keys': 'createUserApiKey',
  'GET /users/{id}/api-keys': 'listUserApiKeys',
  'DELETE /users/{id}/api-keys/{keyId}': 'revokeUserApiKey',
  'POST /products': 'createProduct',
  'POST /products/bulk': 'createProductsInBulk',
  'GET /products': 'listProducts',
  'GET /products/{id}': 'getProduct',
  'PUT /products/{id}': 'replaceProduct',
  'PATCH /products/{id}': 'updateProduct',
  'DELETE /products/{id}': 'deleteProduct',
  'POST /products/{id}/images': 'uploadProductImage',
  'GET /images/{imageId}': 'getImageRendition',
  'POST /products/{id}/images/{imageId}/retry': 'retryProductImage',
  'POST /webhooks': 'createWebhook',
  'GET /webhooks': 'listWebhooks',
  'GET /webhooks/{id}': 'getWebhook',
  'DELETE /webhooks/{id}': 'deleteWebhook',
  'GET /webhooks/{id}/deliveries': 'listWebhookDeliveries',
  'POST /events/tokens': 'createEventToken',
  'GET /dead-letters': 'listDeadLetters',
  'POST /dead-letters/{id}/replay': 'replayDeadLetter',
  'GET /openapi.json': 'getOpenApiDocument',
  'GET /docs': 'getDocs',
};

/** Every value under an `example`, `examples` or `default` key. */
function examplesIn(value: unknown, found: unknown[] = []): unknown[] {
  if (value === null || typeof value !== 'object') return found;
  for (const [key, item] of Object.entries(value)) {
    if (key === 'example' || key === 'default') found.push(item);
    if (key === 'examples') found.push(...(Array.isArray(item) ? item : Object.values(item as object)));
    examplesIn(item, found);
  }
  return found;
}

const EXPECTED = {
  '/healthz': ['get'],
  '/readyz': ['get'],
  '/metrics': ['get'],
  '/users': ['post'],
  '/users/{id}': ['get'],
  '/users/{id}/api-keys': ['get', 'post'],
  '/users/{id}/api-keys/{keyId}': ['delete'],
  '/products': ['get', 'post'],
  '/products/bulk': ['post'],
  '/products/{id}': ['get', 'put', 'patch', 'delete'],
  '/products/{id}/images': ['post'],
  '/images/{imageId}': ['get'],
  '/products/{id}/images/{imageId}/retry': ['post'],
  '/webhooks': ['get', 'post'],
  '/webhooks/{id}': ['get', 'delete'],
  '/webhooks/{id}/deliveries': ['get'],
  '/events/tokens': ['post'],
  '/dead-letters': ['get'],
  '/dead-letters/{id}/replay': ['post'],
  '/openapi.json': ['get'],
  '/docs': ['get'],
};

export function docsSuite(http: Http): void {
  describe('OpenAPI document and docs UI', () => {
    const fetchDocument = async () => {
      const response = await http.request('/openapi.json');
      expect(response.status).toBe(200);
      return (await response.json()) as Document;
    };

    it('is a valid OpenAPI 3.1 document covering every route', async () => {
      const document = await fetchDocument();
      expect(document.openapi).toBe('3.1.0');
      await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
      expect(Object.fromEntries(Object.entries(document.paths).map(([path, item]) => [path, Object.keys(item).sort()]))).toEqual(
        Object.fromEntries(Object.entries(EXPECTED).map(([path, methods]) => [path, [...methods].sort()])),
      );
    });

    it('serves the same document twice', async () => {
      expect(await fetchDocument()).toEqual(await fetchDocument());
    });

    it('documents X-Request-Id on every operation and response, and the problem body on every error', async () => {
      const document = await fetchDocument();
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          const where = `${method.toUpperCase()} ${path}`;
          expect(operation.parameters?.map((p) => `${p.in}:${p.name}`), where).toContain('header:x-request-id');
          expect(operation.responses['500'], where).toBeDefined();
          for (const [status, response] of Object.entries(operation.responses)) {
            expect(response.headers?.['X-Request-Id'], `${where} ${status}`).toBeDefined();
            if (Number(status) >= 400) {
              expect(response.content?.['application/problem+json']?.schema.$ref, `${where} ${status}`).toMatch(/Problem$/);
            }
          }
        }
      }
    });

    it('documents Location, Link, Idempotency-Key and the error statuses of each operation', async () => {
      const { paths, components } = await fetchDocument();
      expect(paths['/products']?.post?.responses['201']?.headers).toHaveProperty('Location');
      expect(paths['/products']?.post?.responses['201']?.headers).toHaveProperty('Idempotent-Replayed');
      expect(paths['/users']?.post?.responses['201']?.headers).toHaveProperty('Location');
      expect(paths['/products']?.get?.responses['200']?.headers).toHaveProperty('Link');
      expect(paths['/products']?.post?.parameters).toContainEqual(expect.objectContaining({ name: 'idempotency-key', in: 'header' }));
      expect(paths['/products']?.get?.parameters).toContainEqual(expect.objectContaining({ name: 'user_id', in: 'query', required: true }));
      expect(Object.keys(paths['/products']?.post?.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '413', '415', '422', '429', '500']);
      expect(Object.keys(paths['/users']?.post?.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '429', '500']);
      expect(Object.keys(paths['/products/{id}']?.patch?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '429', '500']);
      expect(Object.keys(paths['/readyz']?.get?.responses ?? {}).sort()).toEqual(['200', '500', '503']);
      expect(components.schemas.Problem?.properties.code?.enum?.sort()).toEqual(Object.keys(PROBLEMS).sort());
    });

    it('declares the bearer key scheme, and on each operation whether it needs a key', async () => {
      const { paths, components } = await fetchDocument();
      expect(components.securitySchemes).toEqual({ bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
      const security = Object.fromEntries(
        Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation.security])),
      );
      const key = [{ bearerAuth: [] }];
      expect(security).toEqual({
        'GET /healthz': [],
        'GET /readyz': [],
        'GET /metrics': key,
        'POST /users': key,
        'GET /users/{id}': key,
        'POST /users/{id}/api-keys': key,
        'GET /users/{id}/api-keys': key,
        'DELETE /users/{id}/api-keys/{keyId}': key,
        'POST /products': key,
        'POST /products/bulk': key,
        'GET /products': [{}, ...key],
        'GET /products/{id}': [{}, ...key],
        'PUT /products/{id}': key,
        'PATCH /products/{id}': key,
        'DELETE /products/{id}': key,
        'POST /products/{id}/images': key,
        'GET /images/{imageId}': [{}, ...key],
        'POST /products/{id}/images/{imageId}/retry': key,
        'POST /webhooks': key,
        'GET /webhooks': key,
        'GET /webhooks/{id}': key,
        'DELETE /webhooks/{id}': key,
        'GET /webhooks/{id}/deliveries': key,
        'POST /events/tokens': key,
        'GET /dead-letters': key,
        'POST /dead-letters/{id}/replay': key,
        'GET /openapi.json': [],
        'GET /docs': [],
      });
      expect(Object.keys(paths['/products/{id}']?.get?.responses['429']?.headers ?? {}).sort()).toEqual(['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id']);
    });

    it('documents the input bounds', async () => {
      const { components } = await fetchDocument();
      expect(components.schemas.NewProduct?.properties).toMatchObject({
        product_images: { maxItems: 10, items: { maxLength: 2048, format: 'uri' } },
        product_price: { minimum: 0, maximum: 99_999_999.99, 'x-fraction-digits': 2 },
        product_name: { minLength: 1, maxLength: 200 },
      });
    });

    it('names every operation with a stable operationId, under a described tag', async () => {
      const document = await fetchDocument();
      const ids = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation.operationId]),
      );
      expect(Object.fromEntries(ids)).toEqual(OPERATION_IDS);
      const tags = new Set(Object.values(document.paths).flatMap((item) => Object.values(item).flatMap((operation) => operation.tags ?? [])));
      expect(document.tags?.map((tag) => tag.name).sort()).toEqual(expect.arrayContaining([...tags].sort()));
      for (const tag of document.tags ?? []) expect(tag.description, tag.name).toMatch(/\w/);
    });

    it('lists the origin the document came from as the server when no public URL is set', async () => {
      expect((await fetchDocument()).servers).toEqual([{ url: '/', description: expect.any(String) }]);
    });

    it("gives every problem response a schema whose status is that response's", async () => {
      const { paths, components } = await fetchDocument();
      const statusOf = (name: string): unknown[] | undefined => {
        const schema = components.schemas[name];
        const own = schema?.allOf?.find((part) => part.properties?.status)?.properties.status?.enum;
        return own ?? schema?.properties?.status?.enum;
      };
      const seen = new Set<string>();
      for (const [path, item] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(item)) {
          for (const [status, response] of Object.entries(operation.responses)) {
            const ref = response.content?.['application/problem+json']?.schema.$ref;
            if (ref === undefined) continue;
            const name = ref.replace('#/components/schemas/', '');
            seen.add(name);
            expect(statusOf(name), `${method.toUpperCase()} ${path} ${status}`).toEqual([Number(status)]);
          }
        }
      }
      expect(seen).toContain('InternalProblem');
      expect(seen).toContain('NotReadyProblem');
      expect(paths['/readyz']?.get?.responses['503']?.content?.['application/problem+json']?.schema.$ref).toBe('#/components/schemas/NotReadyProblem');
    });

    it('gives examples that send no tool to a real host', async () => {
      const examples = examplesIn(await fetchDocument());
      expect(examples.length).toBeGreaterThan(10);
      for (const example of examples.filter((value): value is string => typeof value === 'string')) {
        const url = /^[a-z]+:\/\/([^/:?#]+)/i.exec(example);
        const mail = /@([^@\s]+)$/.exec(example);
        const host = url?.[1] ?? mail?.[1];
        if (host !== undefined) expect(host, example).toMatch(/\.example$/);
      }
    });

    it('documents ids up to 2^53 - 1, the round trip of PUT and PATCH, and JSON as the one body type', async () => {
      const document = await fetchDocument();
      const { paths, components } = document;
      expect(paths['/products/{id}']?.get?.parameters).toContainEqual(
        expect.objectContaining({ name: 'id', in: 'path', schema: expect.objectContaining({ type: 'integer', maximum: Number.MAX_SAFE_INTEGER }) }),
      );
      expect(paths['/products']?.get?.parameters).toContainEqual(
        expect.objectContaining({ name: 'user_id', schema: expect.objectContaining({ maximum: Number.MAX_SAFE_INTEGER }) }),
      );
      for (const name of ['ProductReplacement', 'ProductChanges']) {
        const { properties } = components.schemas[name] as Schema;
        for (const field of ['id', 'version', 'compressed_product_images', 'images', 'created_at', 'updated_at']) {
          expect(properties[field], `${name}.${field}`).toMatchObject({ readOnly: true });
        }
        expect(properties.user_id, name).toMatchObject({ type: 'integer', description: expect.stringContaining('409') });
      }
      expect(paths['/products/{id}']?.put?.responses['409']).toBeDefined();
      for (const [path, item] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(item) as [string, Operation & { requestBody?: { content: Record<string, unknown> } }][]) {
          const types = Object.keys(operation.requestBody?.content ?? {});
          if (types.includes('application/json')) {
            // The bulk create also takes the streamed form.
            expect(types, `${method} ${path}`).toEqual(path === '/products/bulk' ? ['application/json', 'application/x-ndjson'] : ['application/json']);
            expect(operation.responses['415'], `${method} ${path}`).toBeDefined();
          }
        }
      }
    });

    it('lists publicBaseUrl as the server', async () => {
      const { app } = appWith(http.deps, { publicBaseUrl: 'https://api.example.com' });
      const document = (await (await app.request('/openapi.json')).json()) as Document;
      expect(document.servers).toEqual([{ url: 'https://api.example.com' }]);
    });

    it('GET /docs is an HTML page loading this document', async () => {
      const response = await http.request('/docs');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('swagger-ui');
      expect(html).toContain("'./openapi.json'");
    });

    it('GET /docs names no other host and allows only its own origin', async () => {
      const response = await http.request('/docs');
      const html = await response.text();
      expect(html).not.toMatch(/(?:https?:)?\/\/[a-z]/i);
      expect(html).not.toMatch(/<script>|<style>|style=/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self';");
      for (const source of csp.split(';').flatMap((directive) => directive.trim().split(/\s+/).slice(1))) {
        expect(["'self'", "'none'", 'data:'], csp).toContain(source);
      }
    });

    it('serves Swagger UI from itself, cached for good under a versioned path', async () => {
      const html = await (await http.request('/docs')).text();
      const assets = [...html.matchAll(/(?:href|src)="\.(\/docs\/assets\/[0-9a-f]{16}\/([\w.-]+))"/g)];
      expect(assets.map(([, , name]) => name).sort()).toEqual(['favicon-32x32.png', 'start.js', 'swagger-ui-bundle.js', 'swagger-ui.css']);
      const types = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', png: 'image/png' };
      for (const [, path = '', name = ''] of assets) {
        const response = await http.request(path);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('content-type'), path).toBe(types[name.split('.').pop() as keyof typeof types]);
        expect(response.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
        expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
      }
      const bundle = assets.find(([, , name]) => name === 'swagger-ui-bundle.js')?.[1] ?? '';
      const start = await (await http.request(bundle.replace('swagger-ui-bundle.js', 'start.js'))).text();
      expect(start).toContain('validatorUrl: null');
      for (const missing of [bundle.replace(/[0-9a-f]{16}/, '0000000000000000'), bundle.replace('swagger-ui-bundle.js', 'index.html'), '/docs/assets/x']) {
        await problemOf(await http.request(missing), 404, 'route.not_found');
      }
    });
  });
}

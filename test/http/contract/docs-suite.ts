import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../../src/adapters/http/index.js';
import { appWith, type Http } from '../support/http-harness.js';

type Operation = {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: { $ref?: string } }> }>;
};
type Document = {
  openapi: string;
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
};

const EXPECTED = {
  '/healthz': ['get'],
  '/readyz': ['get'],
  '/metrics': ['get'],
  '/users': ['post'],
  '/users/{id}': ['get'],
  '/products': ['get', 'post'],
  '/products/{id}': ['get', 'put', 'patch', 'delete'],
  '/products/{id}/images': ['post'],
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
      expect(Object.keys(paths['/products']?.post?.responses ?? {}).sort()).toEqual(['201', '400', '413', '415', '422', '500']);
      expect(Object.keys(paths['/users']?.post?.responses ?? {}).sort()).toEqual(['201', '400', '409', '413', '415', '500']);
      expect(Object.keys(paths['/products/{id}']?.patch?.responses ?? {}).sort()).toEqual(['200', '400', '404', '409', '413', '415', '500']);
      expect(Object.keys(paths['/readyz']?.get?.responses ?? {}).sort()).toEqual(['200', '500', '503']);
      expect(components.schemas.Problem?.properties.code?.enum?.sort()).toEqual(Object.keys(PROBLEMS).sort());
    });

    it('documents the input bounds', async () => {
      const { components } = await fetchDocument();
      expect(components.schemas.NewProduct?.properties).toMatchObject({
        product_images: { maxItems: 10, items: { maxLength: 2048, format: 'uri' } },
        product_price: { minimum: 0, maximum: 99_999_999.99, 'x-fraction-digits': 2 },
        product_name: { minLength: 1, maxLength: 200 },
      });
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
  });
}

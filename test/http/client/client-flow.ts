import createClient from 'openapi-fetch';
import type { components, paths } from './catalog-api.js';

type Product = components['schemas']['Product'];

/** What each step of the flow answered, for the test to check. */
export interface FlowReport {
  readonly created: Product;
  readonly uploaded: components['schemas']['ProductImage'];
  readonly listed: Product[];
  readonly read: Product;
  readonly replaced: Product;
  readonly patched: Product;
  readonly deletedStatus: number;
  readonly afterDelete: { status: 401 | 404 | 429 | 500; code: string };
  readonly foreignOwner: { status: 409; code: string; paths: string[] };
}

/** A multipart body from the typed fields: Blobs as files, anything else as text. */
function formData(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value instanceof Blob) form.set(name, value, name);
    else form.set(name, String(value));
  }
  return form;
}

/** The success body, or an error naming the step and the problem the service answered. */
function expectData<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${step}: ${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

/**
 * A client written only from the generated types of the OpenAPI document, as a third party
 * would: create a user and a product, upload an image, list, read, send the read body back
 * edited (PUT), patch, delete, with an admin key. `fetch` carries the requests (the app's `request` in tests).
 */
export async function runClientFlow(
  fetch: (request: Request) => Promise<Response>,
  image: Blob,
  seed: string,
  adminKey: string,
): Promise<FlowReport> {
  const client = createClient<paths>({ baseUrl: 'http://localhost', fetch, headers: { Authorization: `Bearer ${adminKey}` } });

  const user = expectData('POST /users', await client.POST('/users', { body: { name: 'Ada Lovelace', email: `ada-${seed}@lovelace.example` } }));
  const other = expectData('POST /users', await client.POST('/users', { body: { name: 'Charles', email: `charles-${seed}@babbage.example` } }));
  const created = expectData(
    'POST /products',
    await client.POST('/products', {
      params: { header: { 'idempotency-key': `flow-${seed}` } },
      body: {
        user_id: user.id,
        product_name: 'Walnut desk',
        product_description: 'Solid walnut, 140 × 70 cm.',
        product_images: ['https://images.example/desk.jpg'],
        product_price: 249.99,
      },
    }),
  );
  const path = { path: { id: created.id } };

  const uploaded = expectData(
    'POST /products/{id}/images',
    await client.POST('/products/{id}/images', { params: path, body: { file: image }, bodySerializer: formData }),
  );

  const listed = expectData(
    'GET /products',
    await client.GET('/products', { params: { query: { user_id: user.id, price_min: 100, price_max: 300, product_name: 'walnut', limit: 10 } } }),
  );

  const read = expectData('GET /products/{id}', await client.GET('/products/{id}', { params: path }));
  // The round trip: the body GET returned, one field changed, sent back whole.
  const replaced = expectData(
    'PUT /products/{id}',
    await client.PUT('/products/{id}', { params: path, body: { ...read, product_name: 'Walnut desk, oiled' } }),
  );
  const patched = expectData(
    'PATCH /products/{id}',
    await client.PATCH('/products/{id}', { params: path, body: { ...replaced, product_price: 199 } }),
  );

  const foreign = await client.PATCH('/products/{id}', { params: path, body: { user_id: other.id, product_price: 1 } });
  if (foreign.error?.status !== 409) throw new Error(`PATCH with another owner: ${foreign.response.status}`);
  const foreignOwner = { status: foreign.error.status, code: foreign.error.code, paths: (foreign.error.errors ?? []).map((error) => error.path) };

  const deleted = await client.DELETE('/products/{id}', { params: path });
  const gone = await client.GET('/products/{id}', { params: path });
  if (!gone.error) throw new Error('GET after DELETE found the product');

  return {
    created,
    uploaded,
    listed,
    read,
    replaced,
    patched,
    deletedStatus: deleted.response.status,
    afterDelete: { status: gone.error.status, code: gone.error.code },
    foreignOwner,
  };
}

import { describe, expect, it } from 'vitest';
import { servedDocument } from './support/openapi-document.js';

type Operation = {
  operationId?: string;
  description?: string;
  parameters?: { name: string; in: string; description?: string; schema?: Record<string, unknown> }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown>; encoding?: Record<string, { contentType?: string }> }> };
  responses: Record<string, unknown>;
};
type Document = { paths: Record<string, Record<string, Operation>> };

describe('the upload and files operations in the document', () => {
  it('describes the upload as OpenAPI 3.1 does: a required binary part, not a string', async () => {
    const document = (await servedDocument()) as Document;
    const upload = document.paths['/products/{id}/images']?.post;
    expect(upload?.operationId).toBe('uploadProductImage');
    expect(upload?.requestBody?.required).toBe(true);
    const form = upload?.requestBody?.content['multipart/form-data'];
    expect(form?.schema).toMatchObject({ type: 'object', required: ['file'], properties: { file: { contentMediaType: 'application/octet-stream' } } });
    expect(form?.schema.properties).not.toHaveProperty('file.type');
    expect(form?.encoding?.file?.contentType).toContain('image/*');
    expect(upload?.description).toMatch(/one part, `file`, holding one image of at most 25 MiB/);
    expect(Object.keys(upload?.responses ?? {}).sort()).toEqual(['200', '202', '400', '401', '403', '404', '409', '413', '415', '429', '500', '503']);
    // The 3.0 idiom appears nowhere.
    expect(JSON.stringify(document)).not.toContain('"format":"binary"');
  });

  it('says that a key holds / and may come percent-encoded', async () => {
    const document = (await servedDocument()) as Document;
    const file = document.paths['/files/{key}']?.get;
    expect(file?.operationId).toBe('getFile');
    expect(file?.description).toContain('/files/images%2F');
    expect(file?.parameters).toContainEqual(
      expect.objectContaining({ name: 'key', in: 'path', description: expect.stringContaining('percent-encoded') }),
    );
    expect(file?.parameters?.find((parameter) => parameter.name === 'key')?.schema).toMatchObject({ example: expect.stringMatching(/^images\/[0-9a-f]{64}\.webp$/) });
  });
});

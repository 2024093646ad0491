import SwaggerParser from '@apidevtools/swagger-parser';
import type { Schema } from './values.js';

export type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema };
export type MediaType = { schema?: Schema };
export type Response = { content?: Record<string, MediaType>; headers?: Record<string, { required?: boolean }> };

/** One operation of the document, references resolved. */
export interface Operation {
  readonly id: string;
  readonly method: string;
  /** The path template, e.g. `/products/{id}`. */
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body: { required: boolean; content: Record<string, MediaType> } | undefined;
  readonly responses: Record<string, Response>;
  /** Whether the operation takes an API key (`Authorization: Bearer`), and whether it may go without. */
  readonly auth: 'none' | 'optional' | 'required';
}

type RawOperation = {
  security?: Record<string, string[]>[];
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, Response>;
};

/** Every operation of an OpenAPI document, in document order. */
export async function operationsOf(document: Record<string, unknown>): Promise<Operation[]> {
  const resolved = (await SwaggerParser.dereference(structuredClone(document) as never)) as unknown as {
    paths: Record<string, Record<string, RawOperation>>;
    security?: Record<string, string[]>[];
  };
  const authOf = (security: Record<string, string[]>[] = resolved.security ?? []): Operation['auth'] => {
    if (!security.some((requirement) => Object.keys(requirement).length > 0)) return 'none';
    return security.some((requirement) => Object.keys(requirement).length === 0) ? 'optional' : 'required';
  };
  return Object.entries(resolved.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      id: operation.operationId,
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody && { required: operation.requestBody.required ?? false, content: operation.requestBody.content },
      responses: operation.responses,
      auth: authOf(operation.security),
    })),
  );
}

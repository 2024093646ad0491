import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody } from '../json-body.js';
import { ApiKeySchema, CreatedApiKeySchema, CreatedUserSchema } from '../schemas/api-key-schemas.js';
import { IdParams } from '../schemas/id-params.js';
import { NewUserSchema, UserSchema } from '../schemas/user-schemas.js';
import { BODY_PROBLEMS, jsonResponse, problemResponses, RequestHeaders, responseHeaders } from './responses.js';
import { secured } from './security.js';

const tags = ['users'];
const ADMIN = secured('admin');
const OWN = secured('key');
const USER_NOT_FOUND = { 404: 'user.not_found' } as const;

const KeyParams = IdParams.extend({
  keyId: z.string().openapi({
    param: { name: 'keyId', in: 'path' },
    description: 'The id of the key (16 hex digits), as listed; anything else answers 404.',
    example: '3f2a9c0e8b7d6a5f',
  }),
});

const create = createRoute({
  method: 'post',
  path: '/users',
  operationId: 'createUser',
  tags,
  summary: 'Register a product owner (admin key), with a first key acting for it',
  security: ADMIN.security,
  middleware: [ADMIN.guard, jsonBody] as const,
  request: {
    headers: RequestHeaders,
    body: { required: true, content: { 'application/json': { schema: NewUserSchema } } },
  },
  responses: {
    201: jsonResponse(CreatedUserSchema, 'Created; `api_key` is shown this once', {
      Location: z.string().openapi({ description: 'Path of the user, /users/{id}.', example: '/users/7' }),
    }),
    ...problemResponses({ ...BODY_PROBLEMS, 409: 'user.email_taken: another user has this email (case-insensitive)' }),
    ...ADMIN.problems,
  },
});

const get = createRoute({
  method: 'get',
  path: '/users/{id}',
  operationId: 'getUser',
  tags,
  summary: 'Get a user (an admin key, or a key of that user)',
  security: OWN.security,
  middleware: [OWN.guard] as const,
  request: { headers: RequestHeaders, params: IdParams },
  responses: { 200: jsonResponse(UserSchema, 'The user'), ...problemResponses(USER_NOT_FOUND), ...OWN.problems },
});

const createKey = createRoute({
  method: 'post',
  path: '/users/{id}/api-keys',
  operationId: 'createUserApiKey',
  tags,
  summary: 'Issue another key for the user (an admin key, or a key of that user)',
  description: 'No body. The new key is in `api_key`, shown this once.',
  security: OWN.security,
  middleware: [OWN.guard] as const,
  request: { headers: RequestHeaders, params: IdParams },
  responses: {
    201: jsonResponse(CreatedApiKeySchema, 'Issued'),
    ...problemResponses({ 404: 'user.not_found' }),
    ...OWN.problems,
  },
});

const listKeys = createRoute({
  method: 'get',
  path: '/users/{id}/api-keys',
  operationId: 'listUserApiKeys',
  tags,
  summary: "The user's keys not revoked, oldest first, without their secrets",
  security: OWN.security,
  middleware: [OWN.guard] as const,
  request: { headers: RequestHeaders, params: IdParams },
  responses: { 200: jsonResponse(z.array(ApiKeySchema), 'The keys'), ...problemResponses(USER_NOT_FOUND), ...OWN.problems },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/users/{id}/api-keys/{keyId}',
  operationId: 'revokeUserApiKey',
  tags,
  summary: 'Revoke a key: every API instance refuses it within a second',
  security: OWN.security,
  middleware: [OWN.guard] as const,
  request: { headers: RequestHeaders, params: KeyParams },
  responses: {
    204: { description: 'Revoked', headers: responseHeaders() },
    ...problemResponses({ 404: 'api_key.not_found: the user has no such key not yet revoked' }),
    ...OWN.problems,
  },
});

/** The user operations and their keys. */
export const userOperations = { create, get, createKey, listKeys, revokeKey };

import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody } from '../json-body.js';
import { IdParams } from '../schemas/id-params.js';
import { NewUserSchema, UserSchema } from '../schemas/user-schemas.js';
import { BODY_PROBLEMS, jsonResponse, problemResponses, RequestHeaders } from './responses.js';

const tags = ['users'];

const create = createRoute({
  method: 'post',
  path: '/users',
  operationId: 'createUser',
  tags,
  summary: 'Register a product owner',
  middleware: [jsonBody] as const,
  request: {
    headers: RequestHeaders,
    body: { required: true, content: { 'application/json': { schema: NewUserSchema } } },
  },
  responses: {
    201: jsonResponse(UserSchema, 'Created', {
      Location: z.string().openapi({ description: 'Path of the user, /users/{id}.', example: '/users/7' }),
    }),
    ...problemResponses({ ...BODY_PROBLEMS, 409: 'user.email_taken: another user has this email (case-insensitive)' }),
  },
});

const get = createRoute({
  method: 'get',
  path: '/users/{id}',
  operationId: 'getUser',
  tags,
  summary: 'Get a user',
  request: { headers: RequestHeaders, params: IdParams },
  responses: { 200: jsonResponse(UserSchema, 'The user'), ...problemResponses({ 404: 'user.not_found' }) },
});

/** The user operations. */
export const userOperations = { create, get };

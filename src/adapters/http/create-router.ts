import { OpenAPIHono } from '@hono/zod-openapi';
import type { HttpEnv } from './http-env.js';
import { validationHook } from './validation-hook.js';

/** An OpenAPIHono whose zod validation failures become validation.failed problems. */
export const createRouter = (): OpenAPIHono<HttpEnv> => new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

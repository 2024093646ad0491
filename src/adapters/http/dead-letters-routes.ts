import { listDeadLetters, replayDeadLetter, type ApiDeps } from '../../application/index.js';
import { createRouter } from './create-router.js';
import { deadLetterOperations as op } from './operations/dead-letter-operations.js';
import { unwrap } from './problem.js';
import { deadLetterJson } from './schemas/dead-letter-schemas.js';

/** GET /dead-letters and POST /dead-letters/{id}/replay: the `dlq` command over HTTP, for admins. */
export function deadLettersRoutes(deps: Pick<ApiDeps, 'deadLetters'>) {
  return createRouter()
    .openapi(op.list, async (c) => c.json((await listDeadLetters(deps, c.req.valid('query').limit)).map(deadLetterJson), 200))
    .openapi(op.replay, async (c) => {
      unwrap(await replayDeadLetter(deps, c.req.valid('param').id));
      return c.json({ replayed: 1 }, 202);
    });
}

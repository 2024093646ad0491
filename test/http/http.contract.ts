import { describe } from 'vitest';
import { authSuite } from './contract/auth-suite.js';
import { bulkCreateSuite } from './contract/bulk-create-suite.js';
import { createProductSuite } from './contract/create-product-suite.js';
import { docsSuite } from './contract/docs-suite.js';
import { errorsSuite } from './contract/errors-suite.js';
import { imageWritesSuite } from './contract/image-writes-suite.js';
import { listProductsSuite } from './contract/list-products-suite.js';
import { ownerMatrixSuite } from './contract/owner-matrix-suite.js';
import { rateLimitSuite } from './contract/rate-limit-suite.js';
import { observabilitySuite } from './contract/observability-suite.js';
import { updateProductSuite } from './contract/update-product-suite.js';
import { usersSuite } from './contract/users-suite.js';
import { webhooksSuite } from './contract/webhooks-suite.js';
import { useHttp, type DepsFactory } from './support/http-harness.js';

export type { DepsFactory } from './support/http-harness.js';

/**
 * Every endpoint and error path of the HTTP contract, over `app.request()`, on the deps
 * `makeDeps` builds (made once per suite, closed after it). Tests create their own users and
 * products and assume nothing about ids, so any ProductRepo/UserRepo pair can run it.
 */
export function httpContract(name: string, makeDeps: DepsFactory): void {
  describe(`HTTP contract on ${name}`, () => {
    const http = useHttp(makeDeps);
    usersSuite(http);
    authSuite(http);
    ownerMatrixSuite(http);
    rateLimitSuite(http);
    createProductSuite(http);
    listProductsSuite(http);
    bulkCreateSuite(http);
    updateProductSuite(http);
    imageWritesSuite(http);
    webhooksSuite(http);
    errorsSuite(http);
    observabilitySuite(http);
    docsSuite(http);
  });
}

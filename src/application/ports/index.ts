export type * from './probe.js';
export type * from './product-repo.js';
export type * from './user-repo.js';
